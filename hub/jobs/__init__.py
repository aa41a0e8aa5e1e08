"""Background work inside ``hub serve``: periodic jobs (blacklist expiry, signal computation,
webhook delivery) that must run once across all workers and hosts, coordinated through
leases in the database, never through process memory."""
