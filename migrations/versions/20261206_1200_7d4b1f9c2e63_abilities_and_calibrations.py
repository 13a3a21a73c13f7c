"""Ability estimates per cadre and code (EAP and standard error) and fitted item parameters
per item version.

Revision ID: 7d4b1f9c2e63
Revises: 3c8d2e5f7a90
Create Date: 2026-12-06 12:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '7d4b1f9c2e63'
down_revision = '3c8d2e5f7a90'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'ability_estimates',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('code', sa.String(length=4), nullable=False),
        sa.Column('theta', sa.Float(), nullable=False),
        sa.Column('se', sa.Float(), nullable=False),
        sa.Column('answers', sa.Integer(), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'],
                                name=op.f('fk_ability_estimates_user_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_ability_estimates')),
        sa.UniqueConstraint('user_id', 'code', name=op.f('uq_ability_estimates_user_id_code')),
    )
    with op.batch_alter_table('ability_estimates', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ability_estimates_user_id'), ['user_id'],
                              unique=False)
    op.create_table(
        'item_calibrations',
        sa.Column('item_version_id', sa.Integer(), nullable=False),
        sa.Column('thresholds', sa.JSON(), nullable=False),
        sa.Column('responses', sa.Integer(), nullable=False),
        sa.Column('infit', sa.Float(), nullable=True),
        sa.Column('outfit', sa.Float(), nullable=True),
        sa.Column('misfit', sa.Boolean(), nullable=False),
        sa.Column('fitted_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['item_version_id'], ['item_versions.id'],
                                name=op.f('fk_item_calibrations_item_version_id_item_versions')),
        sa.PrimaryKeyConstraint('item_version_id', name=op.f('pk_item_calibrations')),
    )


def downgrade():
    op.drop_table('item_calibrations')
    with op.batch_alter_table('ability_estimates', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ability_estimates_user_id'))
    op.drop_table('ability_estimates')
