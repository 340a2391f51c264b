"""initial plan store

Revision ID: 0001
Revises: 
Create Date: 2026-11-22 03:16:42.689802
"""
from __future__ import annotations

from alembic import op
import sqlalchemy as sa


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table('regions',
    sa.Column('code', sa.String(length=12), nullable=False),
    sa.Column('name', sa.String(length=50), nullable=False),
    sa.Column('level', sa.String(length=16), nullable=False),
    sa.Column('parent_code', sa.String(length=12), nullable=True),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.CheckConstraint("level IN ('city', 'district')", name=op.f('ck_regions_level')),
    sa.ForeignKeyConstraint(['parent_code'], ['regions.code'], name=op.f('fk_regions_parent_code_regions')),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_regions')),
    sa.UniqueConstraint('name', name=op.f('uq_regions_name'))
    )
    op.create_table('submissions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('actor', sa.String(length=100), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('file_name', sa.String(length=255), nullable=True),
    sa.Column('file_sha256', sa.String(length=64), nullable=True),
    sa.Column('n_new', sa.Integer(), nullable=False),
    sa.Column('n_changed', sa.Integer(), nullable=False),
    sa.Column('n_unchanged', sa.Integer(), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('rolled_back_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("kind IN ('plan', 'import', 'rollback', 'allocation', 'demo')", name=op.f('ck_submissions_kind')),
    sa.ForeignKeyConstraint(['rolled_back_by_id'], ['submissions.id'], name=op.f('fk_submissions_rolled_back_by_id_submissions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_submissions'))
    )
    op.create_table('plans',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=64), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('issuer', sa.String(length=200), nullable=False),
    sa.Column('doc_number', sa.String(length=100), nullable=True),
    sa.Column('issued_on', sa.Date(), nullable=True),
    sa.Column('effective_from', sa.Date(), nullable=True),
    sa.Column('effective_to', sa.Date(), nullable=True),
    sa.Column('baseline_year', sa.Integer(), nullable=False),
    sa.Column('city_code', sa.String(length=12), nullable=False),
    sa.Column('source', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['city_code'], ['regions.code'], name=op.f('fk_plans_city_code_regions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_plans')),
    sa.UniqueConstraint('code', name=op.f('uq_plans_code'))
    )
    op.create_table('measures',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=16), nullable=False),
    sa.Column('action', sa.String(length=100), nullable=True),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('lead_unit', sa.String(length=100), nullable=True),
    sa.Column('other_units', sa.Text(), nullable=True),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['plan_id'], ['plans.id'], name=op.f('fk_measures_plan_id_plans')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_measures')),
    sa.UniqueConstraint('plan_id', 'code', name='uq_measures_plan_code')
    )
    op.create_table('indicators',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('unit', sa.String(length=20), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('aggregation', sa.String(length=16), nullable=False),
    sa.Column('direction', sa.String(length=8), nullable=False),
    sa.Column('decimals', sa.Integer(), nullable=False),
    sa.Column('tier', sa.String(length=8), nullable=False),
    sa.Column('value_type', sa.String(length=8), nullable=False),
    sa.Column('target_basis', sa.String(length=8), nullable=False),
    sa.Column('comparison', sa.String(length=2), nullable=False),
    sa.Column('target_note', sa.Text(), nullable=True),
    sa.Column('measure_id', sa.Integer(), nullable=True),
    sa.Column('lead_unit', sa.String(length=100), nullable=True),
    sa.Column('definition', sa.Text(), nullable=True),
    sa.Column('source_agency', sa.String(length=100), nullable=True),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.CheckConstraint("aggregation IN ('additive', 'city_only')", name=op.f('ck_indicators_aggregation')),
    sa.CheckConstraint("comparison IN ('>=', '>', '<=', '<', '=')", name=op.f('ck_indicators_comparison')),
    sa.CheckConstraint("direction IN ('higher', 'lower')", name=op.f('ck_indicators_direction')),
    sa.CheckConstraint("kind IN ('flow', 'stock', 'cumulative')", name=op.f('ck_indicators_kind')),
    sa.CheckConstraint("target_basis IN ('by_year', 'per_year')", name=op.f('ck_indicators_target_basis')),
    sa.CheckConstraint("tier IN ('core', 'measure')", name=op.f('ck_indicators_tier')),
    sa.CheckConstraint("value_type IN ('number', 'percent', 'boolean')", name=op.f('ck_indicators_value_type')),
    sa.ForeignKeyConstraint(['measure_id'], ['measures.id'], name=op.f('fk_indicators_measure_id_measures')),
    sa.ForeignKeyConstraint(['plan_id'], ['plans.id'], name=op.f('fk_indicators_plan_id_plans')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_indicators')),
    sa.UniqueConstraint('code', name=op.f('uq_indicators_code')),
    sa.UniqueConstraint('plan_id', 'name', name='uq_indicators_plan_name')
    )
    op.create_table('observations',
    sa.Column('indicator_id', sa.Integer(), nullable=False),
    sa.Column('region_code', sa.String(length=12), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('month', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('value', sa.Float(), nullable=False),
    sa.Column('source', sa.String(length=200), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('is_current', sa.Boolean(), nullable=False),
    sa.Column('submission_id', sa.Integer(), nullable=False),
    sa.Column('retired_by_id', sa.Integer(), nullable=True),
    sa.Column('supersedes_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("status IN ('preliminary', 'final')", name=op.f('ck_observations_status')),
    sa.CheckConstraint('month BETWEEN 1 AND 12', name=op.f('ck_observations_month')),
    sa.ForeignKeyConstraint(['indicator_id'], ['indicators.id'], name=op.f('fk_observations_indicator_id_indicators')),
    sa.ForeignKeyConstraint(['region_code'], ['regions.code'], name=op.f('fk_observations_region_code_regions')),
    sa.ForeignKeyConstraint(['retired_by_id'], ['submissions.id'], name=op.f('fk_observations_retired_by_id_submissions')),
    sa.ForeignKeyConstraint(['submission_id'], ['submissions.id'], name=op.f('fk_observations_submission_id_submissions')),
    sa.ForeignKeyConstraint(['supersedes_id'], ['observations.id'], name=op.f('fk_observations_supersedes_id_observations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_observations'))
    )
    with op.batch_alter_table('observations', schema=None) as batch_op:
        batch_op.create_index('uq_observations_current', ['indicator_id', 'region_code', 'year', 'month', 'status'], unique=True, sqlite_where=sa.text('is_current = 1'), postgresql_where=sa.text('is_current'))

    op.create_table('targets',
    sa.Column('indicator_id', sa.Integer(), nullable=False),
    sa.Column('region_code', sa.String(length=12), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('value', sa.Float(), nullable=False),
    sa.Column('origin', sa.String(length=16), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('is_current', sa.Boolean(), nullable=False),
    sa.Column('submission_id', sa.Integer(), nullable=False),
    sa.Column('retired_by_id', sa.Integer(), nullable=True),
    sa.Column('supersedes_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("origin IN ('published', 'allocated', 'estimated')", name=op.f('ck_targets_origin')),
    sa.ForeignKeyConstraint(['indicator_id'], ['indicators.id'], name=op.f('fk_targets_indicator_id_indicators')),
    sa.ForeignKeyConstraint(['region_code'], ['regions.code'], name=op.f('fk_targets_region_code_regions')),
    sa.ForeignKeyConstraint(['retired_by_id'], ['submissions.id'], name=op.f('fk_targets_retired_by_id_submissions')),
    sa.ForeignKeyConstraint(['submission_id'], ['submissions.id'], name=op.f('fk_targets_submission_id_submissions')),
    sa.ForeignKeyConstraint(['supersedes_id'], ['targets.id'], name=op.f('fk_targets_supersedes_id_targets')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_targets'))
    )
    with op.batch_alter_table('targets', schema=None) as batch_op:
        batch_op.create_index('uq_targets_current', ['indicator_id', 'region_code', 'year'], unique=True, sqlite_where=sa.text('is_current = 1'), postgresql_where=sa.text('is_current'))




def downgrade() -> None:

    with op.batch_alter_table('targets', schema=None) as batch_op:
        batch_op.drop_index('uq_targets_current', sqlite_where=sa.text('is_current = 1'), postgresql_where=sa.text('is_current'))

    op.drop_table('targets')
    with op.batch_alter_table('observations', schema=None) as batch_op:
        batch_op.drop_index('uq_observations_current', sqlite_where=sa.text('is_current = 1'), postgresql_where=sa.text('is_current'))

    op.drop_table('observations')
    op.drop_table('indicators')
    op.drop_table('measures')
    op.drop_table('plans')
    op.drop_table('submissions')
    op.drop_table('regions')

