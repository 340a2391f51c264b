"""published growth: an optional 同比增速 (percent, as published on the comparable basis) with each figure

Revision ID: 0007o
Revises: 0003t
Create Date: 2026-12-01 02:40:00
"""
from __future__ import annotations

from alembic import op
import sqlalchemy as sa


revision = '0007o'
down_revision = '0003t'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A nullable column added at the end: no table copy, existing figures simply have no published rate.
    op.add_column('observations', sa.Column('growth', sa.Float(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('observations', schema=None) as batch_op:
        batch_op.drop_column('growth')
