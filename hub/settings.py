"""Every setting of the hub, read from ``HUB_*`` environment variables in this one place.

The README's settings table is the user-facing copy of this module; a test keeps them in
step, so a setting cannot be added here without being documented there.
"""

from __future__ import annotations

from functools import lru_cache

from pydantic import Field
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
    schema_cache_size: int = Field(
        64, ge=1, description="Schemas kept per worker, one per distinct set of granted scopes."
    )
    business_timezone: str = Field(
        "Asia/Shanghai", description="Zone of business dates (e.g. when a listing expires)."
    )
    graphiql: bool = Field(True, description="Serve GraphiQL at `GET /graphql` to browsers.")


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The settings of this process, read once from the environment."""
    return Settings()
