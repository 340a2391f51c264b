"""review states of submissions, reporting periods, server-side sessions

Revision ID: 0003r
Revises: 0002
Create Date: 2026-12-01 01:50:00
"""
from __future__ import annotations

from alembic import op
import sqlalchemy as sa


revision = '0003r'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Every submission written before review existed was live at once: it is published.
    with op.batch_alter_table('submissions') as batch:
        batch.add_column(sa.Column('review_state', sa.String(length=12), server_default='published', nullable=False))
        batch.add_column(sa.Column('submitted_by', sa.String(length=64), nullable=True))
        batch.add_column(sa.Column('reviewed_by', sa.String(length=100), nullable=True))
        batch.add_column(sa.Column('reviewed_at', sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column('review_reason', sa.Text(), nullable=True))
        batch.create_check_constraint(
            op.f('ck_submissions_review_state'), "review_state IN ('pending', 'published', 'returned')")
    op.create_table('reporting_periods',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('indicator_id', sa.Integer(), nullable=True),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('month', sa.Integer(), nullable=False),
    sa.Column('deadline', sa.Date(), nullable=False),
    sa.Column('created_by', sa.String(length=100), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('month BETWEEN 1 AND 12', name=op.f('ck_reporting_periods_month')),
    sa.ForeignKeyConstraint(['indicator_id'], ['indicators.id'], name=op.f('fk_reporting_periods_indicator_id_indicators')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reporting_periods'))
    )
    op.create_table('user_sessions',
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_user_sessions_user_id_users')),
    sa.PrimaryKeyConstraint('token_hash', name=op.f('pk_user_sessions'))
    )


def downgrade() -> None:
    op.drop_table('user_sessions')
    op.drop_table('reporting_periods')
    with op.batch_alter_table('submissions') as batch:
        batch.drop_constraint(op.f('ck_submissions_review_state'), type_='check')
        batch.drop_column('review_reason')
        batch.drop_column('reviewed_at')
        batch.drop_column('reviewed_by')
        batch.drop_column('submitted_by')
        batch.drop_column('review_state')
