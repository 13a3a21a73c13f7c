"""Study hours: the ledger of credits (once per person, rule and source; the local day each
counts on, for the daily cap and the year) and the values admins set.

Revision ID: c3a9e5d17f24
Revises: b7e41c9a2d58
Create Date: 2026-12-07 11:10:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c3a9e5d17f24'
down_revision = 'b7e41c9a2d58'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'study_hour_credits',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('rule', sa.Enum('note_read', 'quiz_passed', 'daily_set', name='creditrule',
                                  native_enum=False, length=20), nullable=False),
        sa.Column('source_key', sa.String(length=120), nullable=False),
        sa.Column('centihours', sa.Integer(), nullable=False),
        sa.Column('is_capped', sa.Boolean(), nullable=False),
        sa.Column('credited_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('label', sa.JSON(none_as_null=True), nullable=True),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'],
                                name=op.f('fk_study_hour_credits_user_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_study_hour_credits')),
        sa.UniqueConstraint('user_id', 'rule', 'source_key',
                            name=op.f('uq_study_hour_credits_user_id_rule_source_key')),
    )
    with op.batch_alter_table('study_hour_credits', schema=None) as batch_op:
        batch_op.create_index('ix_study_hour_credits_user_id_day', ['user_id', 'day'],
                              unique=False)
    op.create_table(
        'study_hour_settings',
        sa.Column('name', sa.String(length=40), nullable=False),
        sa.Column('value', sa.Integer(), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_by_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'],
                                name=op.f('fk_study_hour_settings_updated_by_id_users')),
        sa.PrimaryKeyConstraint('name', name=op.f('pk_study_hour_settings')),
    )


def downgrade():
    op.drop_table('study_hour_settings')
    with op.batch_alter_table('study_hour_credits', schema=None) as batch_op:
        batch_op.drop_index('ix_study_hour_credits_user_id_day')
    op.drop_table('study_hour_credits')
