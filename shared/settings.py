"""Settings from the environment (prefix DANVAN_); the only module that reads it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict
from sqlalchemy.engine import URL, make_url

from shared.jwt_auth import JWT_SETTINGS_MISSING
from shared.vietnam_time import OFFICE_HOURS_TEXT

# the event stores' transcoder (the library's TRANSCODER_TOPIC setting): decodes with orjson
TRANSCODER_TOPIC = "shared.transcoder:OrjsonTranscoder"


@dataclass(frozen=True)
class SqlStore:
    """Where one of our SQL stores is: a SQLite file of the data folder, or a PostgreSQL schema.
    Naming it makes nothing; shared.store_setup makes it before it is first written."""

    url: URL
    connect_args: dict[str, Any]
    schema: str | None  # None: a SQLite file

    @property
    def sqlite_path(self) -> Path | None:
        return None if self.schema is not None else Path(self.url.database or "")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="DANVAN_", extra="ignore")

    data_dir: Path = Field(default=Path("data"), description="where the SQLite files live")
    database_url: str | None = Field(
        default=None, description="postgresql://user@host:port/db; unset means SQLite files"
    )
    registry_url: str = "http://127.0.0.1:8001"
    dialogue_url: str = "http://127.0.0.1:8002"
    aggregator_url: str = Field(
        default="http://127.0.0.1:8000", description="the read side the dialogue service lists from"
    )
    tokens_file: Path | None = Field(
        default=None, description="hashed bearer tokens; default <data_dir>/tokens.json"
    )
    upstream_token: str | None = Field(
        default=None, description="bearer token (auditor role) the aggregator reads feeds with"
    )
    jwt_jwks: str | None = Field(
        default=None, description="JWKS URL or file of the identity provider signing people's JWTs"
    )
    jwt_issuer: str | None = Field(
        default=None, description="the `iss` every JWT must carry; required with jwt_jwks"
    )
    jwt_audience: str | None = Field(
        default=None, description="the `aud` every JWT must name; required with jwt_jwks"
    )
    cors_origins: list[str] = Field(default_factory=list, description="browser origins allowed")
    extra_units_file: Path | None = None
    max_body_bytes: int = Field(
        default=1_000_000, description="largest request body, uploads aside"
    )
    max_attachment_bytes: int = 10_000_000
    max_import_bytes: int = Field(
        default=30_000_000, description="largest workbook the dashboard's import takes"
    )
    attachments_url: str | None = Field(
        default=None,
        description="fsspec URL of attachment storage (s3://bucket/prefix…); "
        "default <data_dir>/attachments",
    )
    write_rate_limit: str = Field(
        default="1200/minute", description="writes per client, in the `limits` library's notation"
    )
    reopen_days: int = Field(default=30, description="a citizen may reopen this long after")
    handling_rules_file: Path | None = Field(
        default=None,
        description="the kiến nghị handling rules (TOML); default: the ones shipped "
        "(services/dialogue/data/handling_rules.toml)",
    )
    escalation_interval: float = Field(
        default=300,
        ge=0,
        description="seconds between the escalation process's rounds (0: no process)",
    )
    working_hours: str = Field(
        default=OFFICE_HOURS_TEXT,
        pattern=r"^\d\d:\d\d-\d\d:\d\d(,\d\d:\d\d-\d\d:\d\d)*$",
        description="the working periods of a working day, Vietnam's time",
    )
    json_logs: bool = Field(default=True, description="JSON log lines with a request id")
    log_level: str = "INFO"
    group_commit: bool = Field(
        default=True, description="concurrent commands share one transaction (shared.group_commit)"
    )
    postgres_pool_size: int = 5
    postgres_max_overflow: int = 10
    follower_page_size: int = 500
    follower_catch_up_page_size: int = Field(
        default=5000,
        description="events per transaction while a live follower is behind (its last page came "
        "back full); over HTTP at most what GET /events serves (1000)",
    )
    rebuild_page_size: int = Field(
        default=20_000, description="events per transaction when rebuilding (not over HTTP)"
    )
    follower_wait_seconds: float = 5.0
    search_rank_up_to: int = Field(
        default=10_000,
        ge=1,
        description="GET /search ranks the hits of a query matching at most this many records; "
        "of one matching more (a common word alone), it lists the newest first",
    )
    follow_upstreams: bool = True
    follower_source: Literal["feeds", "stores"] = Field(
        default="feeds",
        description="where the live followers read: the write services' GET /events, or their "
        "event stores directly when the aggregator shares their database or data folder (no "
        "hop through a service busy with its writes)",
    )
    signing_key_file: Path | None = Field(
        default=None,
        description="PEM Ed25519 private key signing feed checkpoints; "
        "default: generated on first start as <data_dir>/signing-key.pem",
    )
    seal_feeds: bool = Field(default=True, description="write services hash-chain their feed")
    checkpoint_every_events: int = Field(default=1000, ge=1)
    checkpoint_every_seconds: float = Field(default=5.0, gt=0)
    seal_poll_seconds: float = Field(default=0.5, gt=0)
    log_origin: str = Field(
        default="danvan.local",
        pattern=r"^[^\s+]+$",
        description="first part of each feed's checkpoint origin, "
        "<log_origin>/<service>/<store_id> (a schema-less URL: no spaces, no plus)",
    )
    witness_keys: str = Field(
        default="",
        description="witnesses whose cosignatures POST /checkpoint/cosignatures accepts: their "
        "verifier keys (name+keyid+base64), comma separated",
    )

    @model_validator(mode="after")
    def _jwt_fully_configured(self) -> Settings:
        if self.jwt_jwks and not (self.jwt_issuer and self.jwt_audience):
            raise ValueError(JWT_SETTINGS_MISSING)
        return self

    @property
    def uses_postgres(self) -> bool:
        return self.database_url is not None

    @property
    def token_path(self) -> Path:
        return self.tokens_file or self.data_dir / "tokens.json"

    def postgres_url(self) -> URL:
        assert self.database_url is not None
        return make_url(self.database_url).set(drivername="postgresql+psycopg")

    def event_store_env(self, service: str) -> dict[str, str]:
        """The eventsourcing library's settings for one write service's own store."""
        if not self.uses_postgres:
            return {
                "TRANSCODER_TOPIC": TRANSCODER_TOPIC,
                "PERSISTENCE_MODULE": "eventsourcing.sqlite",
                "SQLITE_DBNAME": str(self.data_dir / f"{service}-events.db"),
                "SQLITE_LOCK_TIMEOUT": "30",
            }
        url = self.postgres_url()
        return {
            "TRANSCODER_TOPIC": TRANSCODER_TOPIC,
            "PERSISTENCE_MODULE": "eventsourcing.postgres",
            "POSTGRES_DBNAME": url.database or "postgres",
            "POSTGRES_HOST": url.host or "127.0.0.1",
            "POSTGRES_PORT": str(url.port or 5432),
            "POSTGRES_USER": url.username or "postgres",
            "POSTGRES_PASSWORD": url.password or "",
            "POSTGRES_SCHEMA": service,
            "POSTGRES_POOL_SIZE": str(self.postgres_pool_size),
            "POSTGRES_MAX_OVERFLOW": str(self.postgres_max_overflow),
            "POSTGRES_PRE_PING": "y",
        }

    def sql_store(self, schema: str, sqlite_file: str) -> SqlStore:
        """One of our own SQL stores beside the event stores: a SQLite file in the data
        folder, or a schema of the PostgreSQL database."""
        if not self.uses_postgres:
            path = (self.data_dir / sqlite_file).resolve()
            return SqlStore(make_url(f"sqlite:///{path}"), {}, None)
        return SqlStore(self.postgres_url(), {"options": f"-csearch_path={schema}"}, schema)

    def read_models(self) -> SqlStore:
        return self.sql_store("aggregator", "aggregator.db")

    def personal_data_keys(self) -> SqlStore:
        """Keys of data subjects: their own store, so copies of the events never carry them."""
        return self.sql_store("personal_data", "personal-data-keys.db")

    def audit_store(self, service: str) -> SqlStore:
        """A write service's hash chain and signed checkpoints."""
        return self.sql_store(f"{service}_audit", f"{service}-audit.db")

    def security_log(self) -> SqlStore:
        """Where refused calls are recorded."""
        return self.sql_store("security", "security.db")
