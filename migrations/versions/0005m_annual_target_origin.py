"""annual targets: allow target origin 'annual' (an explicit 年度目标 for a year that is no milestone)

Revision ID: 0005m
Revises: 0003r
Create Date: 2026-12-01 01:50:00
"""
from __future__ import annotations

from alembic import op
import sqlalchemy as sa


revision = '0005m'
down_revision = '0003r'
branch_labels = None
depends_on = None

_OLD = ('published', 'allocated', 'estimated')
_NEW = (*_OLD, 'annual')


def _origin_check(origins: tuple[str, ...]) -> None:
    quoted = ", ".join(f"'{o}'" for o in origins)
    # SQLite recreates the table in batch mode; the partial unique index over current rows is
    # dropped first and recreated after, so its WHERE clause is never lost in the copy.
    with op.batch_alter_table('targets', schema=None) as batch_op:
        batch_op.drop_index('uq_targets_current', sqlite_where=sa.text('is_current = 1'),
                            postgresql_where=sa.text('is_current'))
    with op.batch_alter_table('targets', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_targets_origin'), type_='check')
        batch_op.create_check_constraint(op.f('ck_targets_origin'), sa.text(f"origin IN ({quoted})"))
    with op.batch_alter_table('targets', schema=None) as batch_op:
        batch_op.create_index('uq_targets_current', ['indicator_id', 'region_code', 'year'], unique=True,
                              sqlite_where=sa.text('is_current = 1'), postgresql_where=sa.text('is_current'))


def upgrade() -> None:
    _origin_check(_NEW)


def downgrade() -> None:
    op.execute("DELETE FROM targets WHERE origin = 'annual'")
    _origin_check(_OLD)
