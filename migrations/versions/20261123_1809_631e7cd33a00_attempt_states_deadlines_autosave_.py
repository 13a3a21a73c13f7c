"""Attempt states (overdue, graded), deadlines, autosave sequence numbers, quiz settings.

Revision ID: 631e7cd33a00
Revises: d0558b1cb2d4
Create Date: 2026-11-23 18:09:58.163128

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '631e7cd33a00'
down_revision = 'd0558b1cb2d4'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('attempt_items', schema=None) as batch_op:
        batch_op.add_column(sa.Column('client_seq', sa.Integer(), nullable=True))

    with op.batch_alter_table('attempts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('deadline_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('graded_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index(batch_op.f('ix_attempts_deadline_at'), ['deadline_at'], unique=False)

    # Before this revision "submitted" meant submitted and graded in one step.
    op.execute("UPDATE attempts SET status = 'graded', graded_at = submitted_at "
               "WHERE status = 'submitted'")

    with op.batch_alter_table('quizzes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('settings', sa.JSON(), nullable=False,
                                      server_default='{}'))  # existing quizzes: defaults



def downgrade():
    op.execute("UPDATE attempts SET status = 'submitted' WHERE status IN ('graded', 'overdue')")
    with op.batch_alter_table('quizzes', schema=None) as batch_op:
        batch_op.drop_column('settings')

    with op.batch_alter_table('attempts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_attempts_deadline_at'))
        batch_op.drop_column('graded_at')
        batch_op.drop_column('deadline_at')

    with op.batch_alter_table('attempt_items', schema=None) as batch_op:
        batch_op.drop_column('client_seq')

