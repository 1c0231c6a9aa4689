"""background jobs: the jobs table behind the Huey queue (progress, outcome, retries)

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-04 08:14:49.106693

"""
from alembic import op
import sqlalchemy as sa

import roadshow.db


# revision identifiers, used by Alembic.
revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('jobs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=80), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('event_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.Enum('queued', 'running', 'retrying', 'done', 'failed', name='job_status'), nullable=False),
    sa.Column('done', sa.Integer(), nullable=False),
    sa.Column('total', sa.Integer(), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('params', sa.JSON(), nullable=False),
    sa.Column('summary', sa.JSON(), nullable=False),
    sa.Column('error_key', sa.String(length=80), nullable=False),
    sa.Column('error_detail', sa.Text(), nullable=False),
    sa.Column('created_at', roadshow.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('started_at', roadshow.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('heartbeat_at', roadshow.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('next_attempt_at', roadshow.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('finished_at', roadshow.db.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_jobs_actor_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_jobs_event_id_events'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_jobs'))
    )
    with op.batch_alter_table('jobs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_jobs_actor_id'), ['actor_id'], unique=False)
        batch_op.create_index('ix_jobs_kind_event_status', ['kind', 'event_id', 'status'], unique=False)



def downgrade():
    with op.batch_alter_table('jobs', schema=None) as batch_op:
        batch_op.drop_index('ix_jobs_kind_event_status')
        batch_op.drop_index(batch_op.f('ix_jobs_actor_id'))

    op.drop_table('jobs')
    if op.get_bind().dialect.name == 'postgresql':
        sa.Enum(name='job_status').drop(op.get_bind(), checkfirst=True)
