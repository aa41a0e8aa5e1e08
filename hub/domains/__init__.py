"""The business domains. Each package has the same rooms: ``models`` (tables), ``repository``
(all of its SQL), ``service`` (use cases, never commits), ``types`` (its GraphQL surface)."""
