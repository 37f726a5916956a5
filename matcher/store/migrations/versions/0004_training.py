"""Training modules and SME management self-assessments (issue 14).

Revision ID: 0004_training
Revises: 0002
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0004_training"
down_revision = "0002"
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def _stamps() -> list[sa.Column]:
    return [
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        "training_modules",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("external_id", sa.String(64), nullable=False),
        sa.Column("provider_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("council", sa.String(64), nullable=False),
        sa.Column("language", sa.String(8), nullable=False),
        sa.Column("skills", JSON, nullable=False),
        sa.Column("areas", JSON, nullable=False),
        sa.Column("format", sa.String(64), nullable=False),
        sa.Column("starts", sa.Date(), nullable=True),
        sa.Column("ends", sa.Date(), nullable=True),
        sa.Column("places", sa.Integer(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        *_stamps(),
        sa.CheckConstraint("places IS NULL OR places >= 0", name=op.f("ck_training_modules_places")),
        sa.ForeignKeyConstraint(
            ["council"], ["councils.code"], name=op.f("fk_training_modules_council_councils")
        ),
        sa.ForeignKeyConstraint(
            ["provider_id"],
            ["organisations.id"],
            ondelete="CASCADE",
            name=op.f("fk_training_modules_provider_id_organisations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_training_modules")),
        sa.UniqueConstraint("external_id", name=op.f("uq_training_modules_external_id")),
    )
    op.create_index(op.f("ix_training_modules_provider_id"), "training_modules", ["provider_id"])
    op.create_index(op.f("ix_training_modules_council"), "training_modules", ["council"])
    op.create_table(
        "assessments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("external_id", sa.String(64), nullable=False),
        sa.Column("sme_id", sa.Integer(), nullable=False),
        sa.Column("assessed_on", sa.Date(), nullable=False),
        sa.Column("area", sa.String(64), nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        *_stamps(),
        sa.CheckConstraint("score >= 1 AND score <= 5", name=op.f("ck_assessments_score")),
        sa.ForeignKeyConstraint(
            ["sme_id"],
            ["organisations.id"],
            ondelete="CASCADE",
            name=op.f("fk_assessments_sme_id_organisations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assessments")),
        sa.UniqueConstraint("external_id", name=op.f("uq_assessments_external_id")),
        sa.UniqueConstraint("sme_id", "assessed_on", "area", name="sme_date_area"),
    )
    op.create_index(op.f("ix_assessments_sme_id"), "assessments", ["sme_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_assessments_sme_id"), table_name="assessments")
    op.drop_table("assessments")
    op.drop_index(op.f("ix_training_modules_council"), table_name="training_modules")
    op.drop_index(op.f("ix_training_modules_provider_id"), table_name="training_modules")
    op.drop_table("training_modules")
