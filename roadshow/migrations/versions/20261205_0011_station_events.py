"""a liaison station's events and the pool's invitations to events (issue 14)

``talent_station_events`` links a station to the office's events it holds (its symposium, its
promotion events); ``talent_invitations`` records each person of the pool invited to an event by
mail, once per event (a second sending skips them), with the contact-log entry it wrote. Both
tables are new, so the downgrade drops them.

Revision ID: 0011_station_events
Revises: 0010_talent_search
Create Date: 2026-12-05 01:25:00

"""
import sqlalchemy as sa
from alembic import op

import roadshow.db

# revision identifiers, used by Alembic.
revision = '0011_station_events'
down_revision = '0010_talent_search'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('talent_station_events',
    sa.Column('station_id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('created_at', roadshow.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_talent_station_events_event_id_events'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['station_id'], ['talent_stations.id'], name=op.f('fk_talent_station_events_station_id_talent_stations'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('station_id', 'event_id', name=op.f('pk_talent_station_events'))
    )
    op.create_table('talent_invitations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('contact_id', sa.Integer(), nullable=True),
    sa.Column('sent_by_id', sa.Integer(), nullable=True),
    sa.Column('sent_at', roadshow.db.UTCDateTime(timezone=True), nullable=False),
    sa.Column('locale', sa.String(length=16), nullable=False),
    sa.ForeignKeyConstraint(['contact_id'], ['talent_contacts.id'], name=op.f('fk_talent_invitations_contact_id_talent_contacts'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_talent_invitations_event_id_events'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['person_id'], ['talent_people.id'], name=op.f('fk_talent_invitations_person_id_talent_people'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['sent_by_id'], ['users.id'], name=op.f('fk_talent_invitations_sent_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_talent_invitations')),
    sa.UniqueConstraint('person_id', 'event_id', name=op.f('uq_talent_invitations_person_id_event_id'))
    )
    with op.batch_alter_table('talent_invitations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_talent_invitations_event_id'), ['event_id'], unique=False)


def downgrade():
    with op.batch_alter_table('talent_invitations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_talent_invitations_event_id'))
    op.drop_table('talent_invitations')
    op.drop_table('talent_station_events')
