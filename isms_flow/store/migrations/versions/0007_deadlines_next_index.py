"""deadlines: index for each project's next open deadline (the portfolio)

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-26 04:40:00

`min(due_at) … WHERE status IN ('open', 'overdue') GROUP BY project_id` over every project is
answered from this index alone, without reading the deadline rows (docs/portfolio.md).
"""

from __future__ import annotations

from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_deadlines_project_status_due",
        "deadlines",
        ["project_id", "status", "due_at"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_deadlines_project_status_due", table_name="deadlines")
