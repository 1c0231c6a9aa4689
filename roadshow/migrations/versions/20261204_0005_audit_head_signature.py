"""audit head signature: the platform signs each intent's audit-chain head

Existing heads stay unsigned until an operator checks them and runs
``roadshow signing verify-chain --adopt-unsigned``; until then verify-chain reports them.

Revision ID: 0005_audit_head_signature
Revises: 0004_docking_answers
Create Date: 2026-12-04 08:45:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0005_audit_head_signature'
down_revision = '0004_docking_answers'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('signing_intents', schema=None) as batch_op:
        batch_op.add_column(sa.Column('audit_head_signature', sa.Text(), nullable=False,
                                      server_default=''))


def downgrade():
    with op.batch_alter_table('signing_intents', schema=None) as batch_op:
        batch_op.drop_column('audit_head_signature')
