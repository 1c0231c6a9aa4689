"""captions of recorded pitches (issue 16): the lines typed in the live room while a pitch was
recorded, kept with their time, and the WebVTT files uploaded for a recording (one per language)

Both tables are new, so the downgrade drops them.

Revision ID: 0020_recording_captions
Revises: 0019_match_follow_up
Create Date: 2026-12-05 18:00:00.000000

"""
import sqlalchemy as sa
from alembic import op

import roadshow.db

# revision identifiers, used by Alembic.
revision = '0020_recording_captions'
down_revision = '0019_match_follow_up'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('live_caption_cues',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('recording_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('language', sa.String(length=5), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('said_at', roadshow.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_live_caption_cues_event_id_events'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['recording_id'], ['live_recordings.id'], name=op.f('fk_live_caption_cues_recording_id_live_recordings'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_live_caption_cues_user_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_live_caption_cues'))
    )
    with op.batch_alter_table('live_caption_cues', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_live_caption_cues_event_id'), ['event_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_live_caption_cues_recording_id'), ['recording_id'], unique=False)

    op.create_table('live_caption_tracks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('recording_id', sa.Integer(), nullable=False),
    sa.Column('language', sa.String(length=5), nullable=False),
    sa.Column('content', sa.Text(), nullable=False),
    sa.Column('file_name', sa.String(length=200), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
    sa.Column('uploaded_at', roadshow.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_live_caption_tracks_event_id_events'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['recording_id'], ['live_recordings.id'], name=op.f('fk_live_caption_tracks_recording_id_live_recordings'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['users.id'], name=op.f('fk_live_caption_tracks_uploaded_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_live_caption_tracks')),
    sa.UniqueConstraint('recording_id', 'language', name=op.f('uq_live_caption_tracks_recording_id_language'))
    )
    with op.batch_alter_table('live_caption_tracks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_live_caption_tracks_event_id'), ['event_id'], unique=False)


def downgrade():
    with op.batch_alter_table('live_caption_tracks', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_live_caption_tracks_event_id'))
    op.drop_table('live_caption_tracks')
    with op.batch_alter_table('live_caption_cues', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_live_caption_cues_recording_id'))
        batch_op.drop_index(batch_op.f('ix_live_caption_cues_event_id'))
    op.drop_table('live_caption_cues')
