"""the project list follows its tasks (issue 15): a turned-down match keeps its reason and can be
restored (the restorations are recorded); an entry keeps the date it was done or cancelled; an
entry and a task may be cancelled

The downgrade drops the new table and columns; PostgreSQL cannot drop an enum value, so
``cancelled`` stays in both enum types (no row uses it once the entries and tasks are reset).

Revision ID: 0019_match_follow_up
Revises: 0018_recordings
Create Date: 2026-12-05 17:50:00.000000

"""
import sqlalchemy as sa
from alembic import op

import roadshow.db

# revision identifiers, used by Alembic.
revision = '0019_match_follow_up'
down_revision = '0018_recordings'
branch_labels = None
depends_on = None


def upgrade():
    if op.get_bind().dialect.name == 'postgresql':
        with op.get_context().autocommit_block():
            op.execute("ALTER TYPE outcome_task_status ADD VALUE IF NOT EXISTS 'cancelled'")
            op.execute("ALTER TYPE demand_project_status ADD VALUE IF NOT EXISTS 'cancelled'")
    with op.batch_alter_table('demand_rejected_matches', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reason', sa.Text(), nullable=False, server_default=''))
    with op.batch_alter_table('demand_project_entries', schema=None) as batch_op:
        batch_op.add_column(sa.Column('closed_at', roadshow.db.UTCDateTime(timezone=True),
                                      nullable=True))
    op.create_table('demand_restored_matches',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('demand_id', sa.Integer(), nullable=False),
    sa.Column('candidate_kind', sa.String(length=20), nullable=False),
    sa.Column('candidate_id', sa.Integer(), nullable=False),
    sa.Column('rejected_by_id', sa.Integer(), nullable=True),
    sa.Column('rejected_at', roadshow.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('restored_by_id', sa.Integer(), nullable=True),
    sa.Column('restored_at', roadshow.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['demand_id'], ['demands.id'], name=op.f('fk_demand_restored_matches_demand_id_demands'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_demand_restored_matches_organisation_id_organisations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['rejected_by_id'], ['users.id'], name=op.f('fk_demand_restored_matches_rejected_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['restored_by_id'], ['users.id'], name=op.f('fk_demand_restored_matches_restored_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_demand_restored_matches'))
    )
    with op.batch_alter_table('demand_restored_matches', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_demand_restored_matches_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index('ix_demand_restored_matches_demand', ['demand_id', 'candidate_kind', 'candidate_id'], unique=False)


def downgrade():
    with op.batch_alter_table('demand_restored_matches', schema=None) as batch_op:
        batch_op.drop_index('ix_demand_restored_matches_demand')
        batch_op.drop_index(batch_op.f('ix_demand_restored_matches_organisation_id'))
    op.drop_table('demand_restored_matches')
    op.execute("UPDATE demand_project_entries SET status = 'open' WHERE status = 'cancelled'")
    op.execute("UPDATE outcome_tasks SET status = 'open' WHERE status = 'cancelled'")
    with op.batch_alter_table('demand_project_entries', schema=None) as batch_op:
        batch_op.drop_column('closed_at')
    with op.batch_alter_table('demand_rejected_matches', schema=None) as batch_op:
        batch_op.drop_column('reason')
