"""Exam item pools: an assignment that keeps its keys secret reserves the items it draws
from, so that practice and other reviews can leave them out while the exam is live.

Revision ID: 5e1c0a7d2b41
Revises: 1742c08e903e
Create Date: 2026-12-06 09:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5e1c0a7d2b41'
down_revision = '1742c08e903e'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('assignments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('item_pool', sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table('assignments', schema=None) as batch_op:
        batch_op.drop_column('item_pool')
