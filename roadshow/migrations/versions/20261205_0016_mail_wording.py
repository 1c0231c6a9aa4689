"""editable mail wording (issue 17): an office's or an event's subject and body per mail kind
and language

The table is new, so the downgrade drops it.

Revision ID: 0016_mail_wording
Revises: 0015_project_list
Create Date: 2026-12-05 13:45:00.000000

"""
import sqlalchemy as sa
from alembic import op

import roadshow.db

# revision identifiers, used by Alembic.
revision = '0016_mail_wording'
down_revision = '0015_project_list'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('mail_wording_overrides',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=True),
    sa.Column('template', sa.String(length=120), nullable=False),
    sa.Column('locale', sa.String(length=16), nullable=False),
    sa.Column('subject', sa.Text(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', roadshow.db.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_mail_wording_overrides_event_id_events'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisations.id'], name=op.f('fk_mail_wording_overrides_organisation_id_organisations'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_mail_wording_overrides_updated_by_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mail_wording_overrides'))
    )
    with op.batch_alter_table('mail_wording_overrides', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mail_wording_overrides_event_id'), ['event_id'], unique=False)
        batch_op.create_index('ix_mail_wording_overrides_scope', ['organisation_id', 'template', 'locale', 'event_id'], unique=False)


def downgrade():
    with op.batch_alter_table('mail_wording_overrides', schema=None) as batch_op:
        batch_op.drop_index('ix_mail_wording_overrides_scope')
        batch_op.drop_index(batch_op.f('ix_mail_wording_overrides_event_id'))

    op.drop_table('mail_wording_overrides')
