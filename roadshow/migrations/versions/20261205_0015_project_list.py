"""the project list (issue 15): matches of a demand with a person or an application taken on
with a lead unit, a deadline, a note, a status and the outcomes task opened for them; matches
turned down

Both tables are new, so the downgrade drops them and the status enum type.

Revision ID: 0015_project_list
Revises: 0014_demands
Create Date: 2026-12-05 13:40:00.000000

"""
import sqlalchemy as sa
from alembic import op

import roadshow.db

# revision identifiers, used by Alembic.
revision = '0015_project_list'
down_revision = '0014_demands'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('demand_project_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('demand_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=True),
    sa.Column('application_id', sa.Integer(), nullable=True),
    sa.Column('lead_district_id', sa.Integer(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('status', sa.Enum('open', 'in_progress', 'done', name='demand_project_status'), nullable=False),
    sa.Column('score', sa.Double(), nullable=False),
    sa.Column('task_id', sa.Integer(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', roadshow.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', roadshow.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['application_id'], ['applications.id'], name=op.f('fk_demand_project_entries_application_id_applications'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_demand_project_entries_created_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['demand_id'], ['demands.id'], name=op.f('fk_demand_project_entries_demand_id_demands'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['lead_district_id'], ['districts.id'], name=op.f('fk_demand_project_entries_lead_district_id_districts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_demand_project_entries_organisation_id_organisations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['person_id'], ['talent_people.id'], name=op.f('fk_demand_project_entries_person_id_talent_people'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['task_id'], ['outcome_tasks.id'], name=op.f('fk_demand_project_entries_task_id_outcome_tasks'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_demand_project_entries'))
    )
    with op.batch_alter_table('demand_project_entries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_demand_project_entries_demand_id'), ['demand_id'], unique=False)
        batch_op.create_index('ix_demand_project_entries_org_status', ['organisation_id', 'status'], unique=False)

    op.create_table('demand_rejected_matches',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('demand_id', sa.Integer(), nullable=False),
    sa.Column('candidate_kind', sa.String(length=20), nullable=False),
    sa.Column('candidate_id', sa.Integer(), nullable=False),
    sa.Column('rejected_by_id', sa.Integer(), nullable=True),
    sa.Column('rejected_at', roadshow.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['demand_id'], ['demands.id'], name=op.f('fk_demand_rejected_matches_demand_id_demands'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_demand_rejected_matches_organisation_id_organisations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['rejected_by_id'], ['users.id'], name=op.f('fk_demand_rejected_matches_rejected_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_demand_rejected_matches')),
    sa.UniqueConstraint('demand_id', 'candidate_kind', 'candidate_id', name=op.f('uq_demand_rejected_matches_demand_id_candidate_kind_candidate_id')),
    )
    with op.batch_alter_table('demand_rejected_matches', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_demand_rejected_matches_organisation_id'), ['organisation_id'], unique=False)


def downgrade():
    with op.batch_alter_table('demand_rejected_matches', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_demand_rejected_matches_organisation_id'))

    op.drop_table('demand_rejected_matches')
    with op.batch_alter_table('demand_project_entries', schema=None) as batch_op:
        batch_op.drop_index('ix_demand_project_entries_org_status')
        batch_op.drop_index(batch_op.f('ix_demand_project_entries_demand_id'))

    op.drop_table('demand_project_entries')
    if op.get_bind().dialect.name == 'postgresql':
        sa.Enum(name='demand_project_status').drop(op.get_bind(), checkfirst=True)
