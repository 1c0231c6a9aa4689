"""docking answers: the applicant is notified of a district's request and answers it

Revision ID: 0004_docking_answers
Revises: 0003
Create Date: 2026-12-04 08:30:00

"""
from alembic import op
import sqlalchemy as sa

import roadshow.db


# revision identifiers, used by Alembic.
revision = '0004_docking_answers'
down_revision = '0003'
branch_labels = None
depends_on = None

ANSWER = sa.Enum('accepted', 'proposed', 'declined', name='live_docking_answer')


def upgrade():
    ANSWER.create(op.get_bind(), checkfirst=True)
    with op.batch_alter_table('live_docking_requests', schema=None) as batch_op:
        batch_op.add_column(sa.Column('applicant_notified_at', roadshow.db.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('answer', ANSWER, nullable=True))
        batch_op.add_column(sa.Column('proposed_times', sa.JSON(), nullable=False, server_default='[]'))
        batch_op.add_column(sa.Column('answer_note', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('answered_at', roadshow.db.UTCDateTime(timezone=True), nullable=True))


def downgrade():
    with op.batch_alter_table('live_docking_requests', schema=None) as batch_op:
        batch_op.drop_column('answered_at')
        batch_op.drop_column('answer_note')
        batch_op.drop_column('proposed_times')
        batch_op.drop_column('answer')
        batch_op.drop_column('applicant_notified_at')
    ANSWER.drop(op.get_bind(), checkfirst=True)
