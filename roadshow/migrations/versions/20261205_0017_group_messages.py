"""messages to groups (issue 17): a message an organizer sent to a group of an event, and the
people it went to

Both tables are new, so the downgrade drops them.

Revision ID: 0017_group_messages
Revises: 0016_mail_wording
Create Date: 2026-12-05 13:50:00.000000

"""
import sqlalchemy as sa
from alembic import op

import roadshow.db

# revision identifiers, used by Alembic.
revision = '0017_group_messages'
down_revision = '0016_mail_wording'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('group_messages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('sender_id', sa.Integer(), nullable=True),
    sa.Column('token', sa.String(length=64), nullable=False),
    sa.Column('group', sa.String(length=40), nullable=False),
    sa.Column('group_value', sa.String(length=100), nullable=False),
    sa.Column('group_label_zh', sa.String(length=300), nullable=False),
    sa.Column('group_label_en', sa.String(length=300), nullable=False),
    sa.Column('subject_zh', sa.String(length=200), nullable=False),
    sa.Column('subject_en', sa.String(length=200), nullable=False),
    sa.Column('body_zh', sa.Text(), nullable=False),
    sa.Column('body_en', sa.Text(), nullable=False),
    sa.Column('only_language', sa.String(length=16), nullable=True),
    sa.Column('job_id', sa.Integer(), nullable=True),
    sa.Column('recipient_count', sa.Integer(), nullable=False),
    sa.Column('sent_count', sa.Integer(), nullable=False),
    sa.Column('created_at', roadshow.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('finished_at', roadshow.db.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_group_messages_event_id_events'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['job_id'], ['jobs.id'], name=op.f('fk_group_messages_job_id_jobs'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_group_messages_organisation_id_organisations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['sender_id'], ['users.id'], name=op.f('fk_group_messages_sender_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_group_messages')),
    sa.UniqueConstraint('token', name=op.f('uq_group_messages_token'))
    )
    with op.batch_alter_table('group_messages', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_group_messages_event_id'), ['event_id'], unique=False)

    op.create_table('group_message_recipients',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('message_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('person_id', sa.Integer(), nullable=True),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('locale', sa.String(length=16), nullable=False),
    sa.Column('timezone', sa.String(length=64), nullable=False),
    sa.Column('sent_at', roadshow.db.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['message_id'], ['group_messages.id'], name=op.f('fk_group_message_recipients_message_id_group_messages'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['person_id'], ['talent_people.id'], name=op.f('fk_group_message_recipients_person_id_talent_people'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_group_message_recipients_user_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_group_message_recipients')),
    sa.UniqueConstraint('message_id', 'email', name=op.f('uq_group_message_recipients_message_id_email'))
    )
    with op.batch_alter_table('group_message_recipients', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_group_message_recipients_message_id'), ['message_id'], unique=False)


def downgrade():
    with op.batch_alter_table('group_message_recipients', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_group_message_recipients_message_id'))

    op.drop_table('group_message_recipients')
    with op.batch_alter_table('group_messages', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_group_messages_event_id'))

    op.drop_table('group_messages')
