"""Every setting of the hub, read from ``HUB_*`` environment variables in this one place.

The README's settings table is the user-facing copy of this module; a test keeps them in
step, so a setting cannot be added here without being documented there.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from functools import lru_cache

from pydantic import BaseModel, ConfigDict, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///hub.db"


#: Signature algorithms a trusted issuer may use: public-key ones only.
ASYMMETRIC_ALGORITHMS = frozenset(
    {"RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"}
)


class TrustedIssuer(BaseModel):
    """An external identity provider (a province's Keycloak, say) whose access tokens the
    hub accepts as if it had issued them: each token is mapped to a registered client, so
    the client's state, profile, districts and scopes apply exactly as for hub tokens."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    issuer: str = Field(description="Exact `iss` value of the provider's tokens.")
    jwks_uri: str = Field(description="Where the provider publishes its signing keys.")
    audience: str = Field(description="`aud` value the tokens must carry for the hub.")
    client_claim: str = Field(
        "azp", description="Claim naming the calling application (`azp`, `client_id`, `sub`)."
    )
    clients: dict[str, str] = Field(
        description="Value of `client_claim` -> client id registered in the hub."
    )
    scope_claim: str = Field("scope", description="Claim holding space-separated scopes.")
    allowed_scopes: list[str] = Field(
        description="Most this issuer may grant; the token gets its `scope_claim` scopes "
        "(all allowed ones when the claim is absent) within these and the client's grant."
    )
    algorithms: list[str] = Field(["RS256", "ES256"], description="Accepted `alg` values.")

    @field_validator("algorithms")
    @classmethod
    def _asymmetric_only(cls, value: list[str]) -> list[str]:
        # A JWKS is public: accepting "none" or an HMAC algorithm would let anyone sign.
        bad = sorted(set(value) - ASYMMETRIC_ALGORITHMS)
        if bad or not value:
            raise ValueError(f"only asymmetric algorithms are accepted, not {bad}")
        return value


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
    jobs_enabled: bool = Field(
        True, description="Run scheduled jobs (expiry, signals, webhook delivery) inside `hub serve`."
    )
    jobs_tick_seconds: float = Field(
        15.0, gt=0, description="How often each worker looks for a job that is due."
    )
    blacklist_defence_working_days: int = Field(
        5, ge=1, le=60,
        description="Working days a proposed unit has to state its case before it may be included.",
    )
    blacklist_publication_working_days: int = Field(
        5, ge=1, le=60,
        description="Working days a platform has to publish (or withdraw) an entry's latest decision "
        "before the entry shows it as late.",
    )
    blacklist_expiry_interval_seconds: int = Field(
        3600, ge=1, description="How often `hub serve` removes entries whose three years are up."
    )
    webhook_interval_seconds: float = Field(
        5.0, gt=0, description="How often `hub serve` looks for webhook deliveries that are due."
    )
    webhook_timeout_seconds: float = Field(10.0, gt=0, description="Timeout of one webhook POST.")
    webhook_max_attempts: int = Field(
        12, ge=1, description="Attempts before a delivery is marked FAILED (`hub webhooks redeliver` revives it)."
    )
    webhook_backoff_base_seconds: float = Field(
        30.0, ge=0, description="Wait before the second attempt; doubled after each failure."
    )
    webhook_backoff_max_seconds: float = Field(
        21600.0, ge=0, description="Longest wait between two attempts."
    )
    webhook_allow_loopback_http: bool = Field(
        False,
        description="Accept plain-http webhook URLs on loopback hosts (127.0.0.1, ::1, localhost): "
        "for tests and local receivers only; every other endpoint must be https.",
    )
    subscription_poll_seconds: float = Field(
        1.0, gt=0, description="How often a `blacklistChanges` subscription looks for new decisions."
    )
    oauth_issuer: str = Field(
        "http://127.0.0.1:8000",
        description="The authorization server's issuer URL (`iss` of its tokens, RFC 8414 "
        "metadata); endpoints are published under it. Use https in production.",
    )
    oauth_audience: str = Field(
        "wage-data-hub", description="`aud` of the access tokens the hub issues and accepts."
    )
    access_token_lifetime: int = Field(
        600, ge=60, le=86_400, description="Seconds an access token lives (default 10 min)."
    )
    oauth_leeway: int = Field(
        30, ge=0, le=300, description="Seconds of clock skew tolerated on `exp`/`nbf`/`iat`."
    )
    trusted_issuers: list[TrustedIssuer] = Field(
        default_factory=list,
        description="JSON list of external issuers whose tokens are accepted, each with "
        "issuer, jwks_uri, audience, client_claim, clients (claim value -> hub client id), "
        "scope_claim, allowed_scopes, algorithms.",
    )
    jwks_cache_ttl: int = Field(
        300, ge=1, description="Seconds a fetched JWKS (ours or a trusted issuer's) is reused."
    )
    jwks_min_refetch: float = Field(
        10.0,
        ge=0,
        description="Least seconds between two fetches of a trusted issuer's JWKS when a "
        "token names an unknown `kid` (bounds what forged kids can make the hub fetch).",
    )
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

    signals_interval_seconds: int = Field(
        900, ge=10, description="How often `hub serve` recomputes the early-warning signals."
    )
    signals_as_of: date | None = Field(
        None,
        description="Judge the signals as of this date (YYYY-MM-DD). Unset: today, but never past "
        "the end of the month of the latest in/out record in the hub (what the banks' data cover).",
    )
    signals_lookback_cycles: int = Field(
        6, ge=1, le=60, description="Pay cycles, back from the as-of date, in which the "
        "special accounts' in/out records are judged.",
    )
    signals_labour_cost_due_days: int = Field(
        10, ge=1, le=31, description="The construction unit's labour cost for a pay cycle must be "
        "in the special account by this day of the cycle (LABOUR_COST_NOT_PAID_IN).",
    )
    signals_wage_summaries: list[str] = Field(
        ["代发工资"], description="Summaries (prefixes) that mark an OUT record of a special "
        "account as wages; any other OUT is a non-wage outflow (ABNORMAL_TRANSACTIONS).",
    )
    signals_card_prefixes: list[str] = Field(
        ["62"], description="Prefixes of workers' personal bank cards; wages paid to any other "
        "account, or to a registered enterprise's name, went to a company (ABNORMAL_TRANSACTIONS).",
    )
    signals_card_lengths: list[int] = Field(
        [16, 17, 18, 19], description="Lengths of workers' personal bank card numbers."
    )
    signals_deposit_rate: Decimal = Field(
        Decimal("0.01"), ge=0, le=1, description="Least wage deposit as a share of the contract "
        "value (1-3 % by the rules; DEPOSIT_SHORT below it).",
    )
    signals_deposit_exempt_below: Decimal = Field(
        Decimal("3000000"), ge=0, description="Contracts below this value (yuan) need no wage "
        "deposit.",
    )
    signals_disabled: list[str] = Field(
        [], description="Signal kinds not computed (JSON list, e.g. [\"ACCOUNT_NOT_MARKED\"]).",
    )
    signals_severity: dict[str, str] = Field(
        {}, description="Severity overrides per signal kind (JSON, e.g. "
        "{\"DEPOSIT_SHORT\": \"RED\"}); the rules' own severities otherwise.",
    )
    referral_default_days: int = Field(
        15, ge=1, le=365, description="Days a district bureau gets for a referral when the "
        "assigner names no deadline.",
    )


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The settings of this process, read once from the environment."""
    return Settings()


def settings_table() -> str:
    """The README's settings table, rendered from the fields above (``hub settings``)."""
    rows = ["| variable | default | meaning |", "|---|---|---|"]
    for name, field in Settings.model_fields.items():
        default = field.default if field.default_factory is None else field.default_factory()  # type: ignore[call-arg]
        shown = "unset" if default is None else f"`{default}`"
        rows.append(f"| `HUB_{name.upper()}` | {shown} | {(field.description or '').replace('|', '/')} |")
    return "\n".join(rows) + "\n"
