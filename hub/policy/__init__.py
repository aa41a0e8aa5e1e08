"""The access policy: a pure engine that decides, for a caller and a field coordinate,
visible / masked / hidden, and which rows of an entity exist for the caller."""
