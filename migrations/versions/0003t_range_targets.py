"""range targets: the upper end of a target (力争1—2个) and the comparison "[]"

Revision ID: 0003t
Revises: 0005m
Create Date: 2026-12-01 02:10:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003t"
down_revision = "0005m"  # chained after main's 0005m at the merge of main
branch_labels = None
depends_on = None

_OLD = "comparison IN ('>=', '>', '<=', '<', '=')"
_NEW = "comparison IN ('>=', '>', '<=', '<', '=', '[]')"


def upgrade() -> None:
    # Batch mode: SQLite cannot ALTER a table in place; a nullable column needs no default.
    with op.batch_alter_table("targets") as batch:
        batch.add_column(sa.Column("upper", sa.Float(), nullable=True))
    with op.batch_alter_table("indicators") as batch:
        batch.drop_constraint(op.f("ck_indicators_comparison"), type_="check")
        batch.create_check_constraint("comparison", _NEW)


def downgrade() -> None:
    with op.batch_alter_table("indicators") as batch:
        batch.drop_constraint(op.f("ck_indicators_comparison"), type_="check")
        batch.create_check_constraint("comparison", _OLD)
    with op.batch_alter_table("targets") as batch:
        batch.drop_column("upper")
