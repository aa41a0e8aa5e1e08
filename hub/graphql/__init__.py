"""The GraphQL surface: it only assembles. Types live with their domains; this package holds
the shared machinery (connections, global ids, context, errors) and the schema assembly."""
