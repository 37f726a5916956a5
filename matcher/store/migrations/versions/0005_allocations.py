"""Allocation rounds: team assignments run as jobs, with their instance and result.

Revision ID: 0005_allocations
Revises: 0004_training
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0005_allocations"
down_revision = "0004_training"
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade() -> None:
    op.create_table(
        "allocation_rounds",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("external_id", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("progress", sa.Float(), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("council", sa.String(64), nullable=True),
        sa.Column("organisation_id", sa.String(64), nullable=True),
        sa.Column("created_by", sa.String(300), nullable=False),
        sa.Column("cancel_requested", sa.Boolean(), nullable=False),
        sa.Column("params", JSON, nullable=False),
        sa.Column("instance", JSON, nullable=True),
        sa.Column("result", JSON, nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), server_default=sa.func.now(), nullable=False),
        sa.ForeignKeyConstraint(
            ["council"], ["councils.code"], name=op.f("fk_allocation_rounds_council_councils")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_allocation_rounds")),
        sa.UniqueConstraint("external_id", name=op.f("uq_allocation_rounds_external_id")),
    )
    op.create_index("ix_allocation_rounds_status", "allocation_rounds", ["status"])
    op.create_index("ix_allocation_rounds_council", "allocation_rounds", ["council"])


def downgrade() -> None:
    op.drop_index("ix_allocation_rounds_council", table_name="allocation_rounds")
    op.drop_index("ix_allocation_rounds_status", table_name="allocation_rounds")
    op.drop_table("allocation_rounds")
