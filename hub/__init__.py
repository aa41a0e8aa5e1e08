"""The wage-data hub: one GraphQL graph over enterprises, credit records, the
wage-arrears blacklist and construction projects' wage accounts, shared between
departments under their data-sharing memorandums."""

__version__ = "0.1.0"
