"""Count visits to a stage, so an override request belongs to exactly one visit

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26 01:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    for table in ("projects", "overrides"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(
                sa.Column("state_visit", sa.Integer(), server_default="0", nullable=False)
            )


def downgrade() -> None:
    for table in ("overrides", "projects"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("state_visit")
