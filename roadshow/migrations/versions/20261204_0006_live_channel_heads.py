"""live channel heads: each room keeps the last number on each channel, each event the one
before it, so clients tell a lost broadcast from one meant for others

Revision ID: 0006_live_channel_heads
Revises: 0005_audit_head_signature
Create Date: 2026-12-04 08:50:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0006_live_channel_heads'
down_revision = '0005_audit_head_signature'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('live_rooms', schema=None) as batch_op:
        batch_op.add_column(sa.Column('heads', sa.JSON(), nullable=False, server_default='{}'))
    with op.batch_alter_table('live_events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('prev', sa.JSON(), nullable=False, server_default='{}'))


def downgrade():
    with op.batch_alter_table('live_events', schema=None) as batch_op:
        batch_op.drop_column('prev')
    with op.batch_alter_table('live_rooms', schema=None) as batch_op:
        batch_op.drop_column('heads')
