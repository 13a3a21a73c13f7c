"""Study notes, self-assessment questionnaires (quiz kind, statements, self-rating).

Revision ID: d0558b1cb2d4
Revises: c510d77e043f
Create Date: 2026-11-23 18:04:58.949984

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd0558b1cb2d4'
down_revision = 'c510d77e043f'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('study_notes',
    sa.Column('code', sa.String(length=4), nullable=False),
    sa.Column('content', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_study_notes'))
    )
    with op.batch_alter_table('attempts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('self_rating', sa.Float(), nullable=True))

    with op.batch_alter_table('items', schema=None) as batch_op:
        batch_op.add_column(sa.Column('questionnaire_id', sa.String(length=64), nullable=True))
        batch_op.create_index(batch_op.f('ix_items_questionnaire_id'), ['questionnaire_id'], unique=False)

    with op.batch_alter_table('quizzes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kind', sa.Enum('quiz', 'self_assessment', name='quizkind', native_enum=False, length=20), nullable=False,
                                      server_default='quiz'))  # existing rows are quizzes



def downgrade():
    with op.batch_alter_table('quizzes', schema=None) as batch_op:
        batch_op.drop_column('kind')

    with op.batch_alter_table('items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_items_questionnaire_id'))
        batch_op.drop_column('questionnaire_id')

    with op.batch_alter_table('attempts', schema=None) as batch_op:
        batch_op.drop_column('self_rating')

    op.drop_table('study_notes')
