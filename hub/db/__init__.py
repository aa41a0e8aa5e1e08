"""Database plumbing shared by every domain: the declarative base, column types, the engine
and the one place that commits (the unit of work of a request or a command)."""
