"""read indexes: the pages' period lookups and the per-key history of observations (issue 11, scale)

At a million observations the dashboard's ``max(year)`` / ``max(month)`` of the current figures, each
region's newest whole year and the plan's published baseline scanned the table on every page run.
Plain indexes only: no table copy, nothing to convert.

Revision ID: 0008s
Revises: 0008p
Create Date: 2026-12-01 05:00:00
"""
from __future__ import annotations

from alembic import op
import sqlalchemy as sa


revision = '0008s'
down_revision = "0008p"
branch_labels = None
depends_on = None

_CURRENT = {'sqlite_where': sa.text('is_current = 1'), 'postgresql_where': sa.text('is_current')}


def upgrade() -> None:
    with op.batch_alter_table('observations', schema=None) as batch_op:
        batch_op.create_index('ix_observations_current_period', ['year', 'month', 'indicator_id', 'region_code'],
                              unique=False, **_CURRENT)
        batch_op.create_index('ix_observations_current_month', ['month', 'year', 'indicator_id', 'region_code'],
                              unique=False, **_CURRENT)
        batch_op.create_index('ix_observations_key', ['region_code', 'indicator_id', 'year', 'month'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('observations', schema=None) as batch_op:
        batch_op.drop_index('ix_observations_key')
        batch_op.drop_index('ix_observations_current_month', **_CURRENT)
        batch_op.drop_index('ix_observations_current_period', **_CURRENT)
