"""video on the stage (issue 16): the host's blocks on the media server, recording per event
with the presenter's consent, and the recordings made

All tables are new, so the downgrade drops them and their enum type.

Revision ID: 0018_recordings
Revises: 0017_group_messages
Create Date: 2026-12-05 14:17:08.250007

"""
import sqlalchemy as sa
from alembic import op

import roadshow.db

# revision identifiers, used by Alembic.
revision = '0018_recordings'
down_revision = '0017_group_messages'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('live_recording_settings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('enabled', sa.Boolean(), nullable=False),
    sa.Column('changed_by_id', sa.Integer(), nullable=True),
    sa.Column('changed_at', roadshow.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['changed_by_id'], ['users.id'], name=op.f('fk_live_recording_settings_changed_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_live_recording_settings_event_id_events'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_live_recording_settings')),
    sa.UniqueConstraint('event_id', name=op.f('uq_live_recording_settings_event_id'))
    )
    op.create_table('live_recording_consents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('consented', sa.Boolean(), nullable=False),
    sa.Column('answered_at', roadshow.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['application_id'], ['applications.id'], name=op.f('fk_live_recording_consents_application_id_applications'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_live_recording_consents_event_id_events'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_live_recording_consents_user_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_live_recording_consents')),
    sa.UniqueConstraint('application_id', name=op.f('uq_live_recording_consents_application_id'))
    )
    with op.batch_alter_table('live_recording_consents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_live_recording_consents_event_id'), ['event_id'], unique=False)

    op.create_table('live_media_blocks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('room_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('blocked_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', roadshow.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['blocked_by_id'], ['users.id'], name=op.f('fk_live_media_blocks_blocked_by_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['room_id'], ['live_rooms.id'], name=op.f('fk_live_media_blocks_room_id_live_rooms'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_live_media_blocks_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_live_media_blocks')),
    sa.UniqueConstraint('room_id', 'user_id', 'kind', name=op.f('uq_live_media_blocks_room_id_user_id_kind'))
    )
    op.create_table('live_recordings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('room_id', sa.Integer(), nullable=True),
    sa.Column('session_id', sa.Integer(), nullable=True),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('presenter_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.Enum('recording', 'processing', 'ready', 'failed', name='live_recording_status'), nullable=False),
    sa.Column('folder', sa.String(length=200), nullable=False),
    sa.Column('files', sa.JSON(), nullable=False),
    sa.Column('error', sa.Text(), nullable=False),
    sa.Column('started_at', roadshow.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('ended_at', roadshow.db.UTCDateTime(timezone=True), nullable=True),
    sa.Column('processed_at', roadshow.db.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['application_id'], ['applications.id'], name=op.f('fk_live_recordings_application_id_applications'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_live_recordings_event_id_events'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['presenter_id'], ['users.id'], name=op.f('fk_live_recordings_presenter_id_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['room_id'], ['live_rooms.id'], name=op.f('fk_live_recordings_room_id_live_rooms'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['session_id'], ['pitch_sessions.id'], name=op.f('fk_live_recordings_session_id_pitch_sessions'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_live_recordings'))
    )
    with op.batch_alter_table('live_recordings', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_live_recordings_application_id'), ['application_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_live_recordings_event_id'), ['event_id'], unique=False)



def downgrade():
    with op.batch_alter_table('live_recordings', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_live_recordings_event_id'))
        batch_op.drop_index(batch_op.f('ix_live_recordings_application_id'))

    op.drop_table('live_recordings')
    op.drop_table('live_media_blocks')
    with op.batch_alter_table('live_recording_consents', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_live_recording_consents_event_id'))

    op.drop_table('live_recording_consents')
    op.drop_table('live_recording_settings')
    if op.get_bind().dialect.name == 'postgresql':
        sa.Enum(name='live_recording_status').drop(op.get_bind(), checkfirst=True)
