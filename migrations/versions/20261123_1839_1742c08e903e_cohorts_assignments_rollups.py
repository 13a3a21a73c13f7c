"""Cohorts, memberships and assignments; attempts know their assignment and keep the
settings they started under; per-cadre monthly rollups of points per code.

Revision ID: 1742c08e903e
Revises: 80cae6a80ee2
Create Date: 2026-11-23 18:39:30.214930

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '1742c08e903e'
down_revision = '80cae6a80ee2'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('code_rollups',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=4), nullable=False),
    sa.Column('month', sa.Date(), nullable=False),
    sa.Column('earned', sa.Float(), nullable=False),
    sa.Column('possible', sa.Float(), nullable=False),
    sa.Column('items', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_code_rollups_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_code_rollups')),
    sa.UniqueConstraint('user_id', 'code', 'month', name=op.f('uq_code_rollups_user_id_code_month'))
    )
    with op.batch_alter_table('code_rollups', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_code_rollups_user_id'), ['user_id'], unique=False)

    op.create_table('cohorts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('description', sa.String(length=500), nullable=False),
    sa.Column('join_code', sa.String(length=16), nullable=False),
    sa.Column('coordinator_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['coordinator_id'], ['users.id'], name=op.f('fk_cohorts_coordinator_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_cohorts')),
    sa.UniqueConstraint('join_code', name=op.f('uq_cohorts_join_code'))
    )
    with op.batch_alter_table('cohorts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cohorts_coordinator_id'), ['coordinator_id'], unique=False)

    op.create_table('assignments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('cohort_id', sa.Integer(), nullable=False),
    sa.Column('quiz_id', sa.String(length=64), nullable=False),
    sa.Column('settings', sa.JSON(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['cohort_id'], ['cohorts.id'], name=op.f('fk_assignments_cohort_id_cohorts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['quiz_id'], ['quizzes.id'], name=op.f('fk_assignments_quiz_id_quizzes')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assignments'))
    )
    with op.batch_alter_table('assignments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_assignments_cohort_id'), ['cohort_id'], unique=False)

    op.create_table('memberships',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('cohort_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('joined_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['cohort_id'], ['cohorts.id'], name=op.f('fk_memberships_cohort_id_cohorts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_memberships_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_memberships')),
    sa.UniqueConstraint('cohort_id', 'user_id', name=op.f('uq_memberships_cohort_id_user_id'))
    )
    with op.batch_alter_table('memberships', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_memberships_user_id'), ['user_id'], unique=False)

    with op.batch_alter_table('attempts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('assignment_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('settings', sa.JSON(), nullable=False,
                                      server_default='{}'))  # older attempts: the quiz's
        batch_op.create_index(batch_op.f('ix_attempts_assignment_id'), ['assignment_id'], unique=False)
        batch_op.create_index('uq_attempts_one_in_progress_per_assignment', ['user_id', 'assignment_id'], unique=True, sqlite_where=sa.text("status = 'in_progress' AND assignment_id IS NOT NULL"), postgresql_where=sa.text("status = 'in_progress' AND assignment_id IS NOT NULL"))
        batch_op.create_foreign_key(batch_op.f('fk_attempts_assignment_id_assignments'), 'assignments', ['assignment_id'], ['id'])

    # Autogenerate does not compare partial-index conditions: the practice index now covers
    # attempts outside assignments only (written by hand, outside the batch so that SQLite's
    # table copy does not bring the old definition back).
    op.drop_index('uq_attempts_one_in_progress', table_name='attempts')
    op.create_index('uq_attempts_one_in_progress', 'attempts', ['user_id', 'quiz_id'], unique=True, sqlite_where=sa.text("status = 'in_progress' AND assignment_id IS NULL"), postgresql_where=sa.text("status = 'in_progress' AND assignment_id IS NULL"))



def downgrade():
    op.drop_index('uq_attempts_one_in_progress', table_name='attempts')
    op.create_index('uq_attempts_one_in_progress', 'attempts', ['user_id', 'quiz_id'], unique=True, sqlite_where=sa.text("status = 'in_progress'"), postgresql_where=sa.text("status = 'in_progress'"))
    with op.batch_alter_table('attempts', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_attempts_assignment_id_assignments'), type_='foreignkey')
        batch_op.drop_index('uq_attempts_one_in_progress_per_assignment', sqlite_where=sa.text("status = 'in_progress' AND assignment_id IS NOT NULL"), postgresql_where=sa.text("status = 'in_progress' AND assignment_id IS NOT NULL"))
        batch_op.drop_index(batch_op.f('ix_attempts_assignment_id'))
        batch_op.drop_column('settings')
        batch_op.drop_column('assignment_id')

    with op.batch_alter_table('memberships', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_memberships_user_id'))

    op.drop_table('memberships')
    with op.batch_alter_table('assignments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_assignments_cohort_id'))

    op.drop_table('assignments')
    with op.batch_alter_table('cohorts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cohorts_coordinator_id'))

    op.drop_table('cohorts')
    with op.batch_alter_table('code_rollups', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_code_rollups_user_id'))

    op.drop_table('code_rollups')
