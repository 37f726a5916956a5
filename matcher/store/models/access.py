"""API keys (only a hash and a display prefix of each key are stored)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, ForeignKey, Integer, String, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from matcher.store.models.base import NAME_LEN, SHORT_LEN, Base
from matcher.store.models.records import OrganisationRow


class ApiKeyRow(Base):
    """An API key: only its SHA-256 hash is stored, with its role and scope."""

    __tablename__ = "api_keys"

    pk: Mapped[int] = mapped_column("id", Integer, primary_key=True)
    prefix: Mapped[str] = mapped_column(String(16), index=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    role: Mapped[str] = mapped_column(String(SHORT_LEN))
    organisation_pk: Mapped[int | None] = mapped_column(
        "organisation_id", ForeignKey("organisations.id", ondelete="CASCADE")
    )
    council: Mapped[str | None] = mapped_column(ForeignKey("councils.code"))
    label: Mapped[str] = mapped_column(String(NAME_LEN), default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))

    organisation: Mapped[OrganisationRow | None] = relationship()


# --------------------------------------------------------------------------- allocation rounds (issue #10)
