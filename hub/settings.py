"""Every setting of the hub, read from ``HUB_*`` environment variables in this one place.

The README's settings table is the user-facing copy of this module; a test keeps them in
step, so a setting cannot be added here without being documented there.
"""

from __future__ import annotations

from functools import lru_cache

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///hub.db"


class Settings(BaseSettings):
    """Process-wide configuration. Nothing here is shared state: every worker reads the same
    environment, and everything that must be shared lives in the database."""

    model_config = SettingsConfigDict(env_prefix="HUB_", extra="ignore", frozen=True)

    database_url: str = Field(
        DEFAULT_DATABASE_URL,
        description="SQLAlchemy async URL: `sqlite+aiosqlite:///path.db` or "
        "`postgresql+asyncpg://user@host:port/db`.",
    )
    host: str = Field("127.0.0.1", description="Address `hub serve` binds to.")
    port: int = Field(8000, ge=1, le=65535, description="Port `hub serve` listens on.")
    workers: int = Field(1, ge=1, le=64, description="uvicorn worker processes for `hub serve`.")
    log_level: str = Field("info", description="Log level: debug, info, warning, error.")
    log_json: bool = Field(False, description="Log as JSON lines instead of console text.")
    db_pool_size: int = Field(10, ge=1, description="PostgreSQL connections per worker.")
    db_echo: bool = Field(False, description="Log every SQL statement (debugging only).")
    page_size_default: int = Field(50, ge=1, description="Page size when `first`/`last` is absent.")
    page_size_max: int = Field(500, ge=1, description="Largest page a client may ask for.")
    max_query_depth: int = Field(12, ge=1, description="Deepest GraphQL selection accepted.")
    max_aliases: int = Field(30, ge=1, description="Most aliases accepted in one document.")
    max_tokens: int = Field(5000, ge=1, description="Most lexical tokens in one document.")
    max_body_bytes: int = Field(1_000_000, ge=1024, description="Largest request body accepted.")
    max_batch_size: int = Field(20, ge=1, description="Most operations in one batched request.")
    graphiql: bool = Field(True, description="Serve GraphiQL at `GET /graphql` to browsers.")
    audit_checkpoint_every: int = Field(
        1000, ge=1, description="Sign an audit checkpoint at least every this many records."
    )
    audit_checkpoint_interval_seconds: int = Field(
        300,
        ge=1,
        description="Sign an audit checkpoint when the last one is older than this many seconds "
        "(checked at each append and by `hub audit checkpoint`).",
    )
    audit_retention_months: int = Field(
        36, ge=1, description="Months of audit records `hub audit prune` keeps (whole months)."
    )
    audit_partitions_ahead: int = Field(
        2, ge=0, description="PostgreSQL: monthly audit partitions created ahead of the current one."
    )
    audit_hmac_key: SecretStr | None = Field(
        None,
        description="Hex key (32+ bytes) for the audit log's keyed hashes of ID numbers and "
        "sensitive variables. Unset: a key is created in the database on first use. Set it on "
        "every worker or on none; changing it breaks subject search of older records.",
    )


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The settings of this process, read once from the environment."""
    return Settings()
