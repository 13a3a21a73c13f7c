"""Challenge runs (one per attempt of the challenge quiz: the items answered right in a row
and how the run ended), and the cohorts whose coordinator turned the challenge leaderboard on.

Revision ID: b7e41c9a2d58
Revises: 9088516898f6
Create Date: 2026-12-07 11:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b7e41c9a2d58'
down_revision = '9088516898f6'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'challenge_runs',
        sa.Column('attempt_id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('item_seconds', sa.Integer(), nullable=False),
        sa.Column('correct', sa.Integer(), nullable=False),
        sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('ended_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('end_reason', sa.Enum('wrong', 'timeout', 'stopped', 'cleared',
                                        name='endreason', native_enum=False, length=10),
                  nullable=True),
        sa.ForeignKeyConstraint(['attempt_id'], ['attempts.id'],
                                name=op.f('fk_challenge_runs_attempt_id_attempts'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'],
                                name=op.f('fk_challenge_runs_user_id_users')),
        sa.PrimaryKeyConstraint('attempt_id', name=op.f('pk_challenge_runs')),
    )
    with op.batch_alter_table('challenge_runs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_challenge_runs_user_id'), ['user_id'],
                              unique=False)
    op.create_table(
        'challenge_leaderboards',
        sa.Column('cohort_id', sa.Integer(), nullable=False),
        sa.Column('enabled_by_id', sa.Integer(), nullable=False),
        sa.Column('enabled_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['cohort_id'], ['cohorts.id'],
                                name=op.f('fk_challenge_leaderboards_cohort_id_cohorts'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['enabled_by_id'], ['users.id'],
                                name=op.f('fk_challenge_leaderboards_enabled_by_id_users')),
        sa.PrimaryKeyConstraint('cohort_id', name=op.f('pk_challenge_leaderboards')),
    )


def downgrade():
    op.drop_table('challenge_leaderboards')
    with op.batch_alter_table('challenge_runs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_challenge_runs_user_id'))
    op.drop_table('challenge_runs')
