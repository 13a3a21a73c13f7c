"""Answers graded by a person (case analysis): the grade, comment and grader are kept with the
attempt's row until released. The new attempt status "awaiting_grading" needs no schema change
(statuses are stored as text, 20 characters).

Revision ID: 3c8d2e5f7a90
Revises: 9b3f6c2e8a17
Create Date: 2026-12-06 11:30:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '3c8d2e5f7a90'
down_revision = '9b3f6c2e8a17'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('attempt_items', schema=None) as batch_op:
        batch_op.add_column(sa.Column('manual_grade', sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table('attempt_items', schema=None) as batch_op:
        batch_op.drop_column('manual_grade')
