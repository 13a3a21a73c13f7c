"""An index on attempt items by attempt and item version: a start reads the items the cadre
has seen through it alone (index-only on PostgreSQL once vacuumed), not by reading every row.

Revision ID: 7f3b9c2e4a61
Revises: 5e8c2a7b9d14
Create Date: 2026-12-07 13:00:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '7f3b9c2e4a61'
down_revision = '5e8c2a7b9d14'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('attempt_items', schema=None) as batch_op:
        batch_op.create_index('ix_attempt_items_attempt_id_item_version_id',
                              ['attempt_id', 'item_version_id'], unique=False)


def downgrade():
    with op.batch_alter_table('attempt_items', schema=None) as batch_op:
        batch_op.drop_index('ix_attempt_items_attempt_id_item_version_id')
