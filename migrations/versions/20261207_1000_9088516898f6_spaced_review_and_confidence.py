"""Spaced review (FSRS cards per cadre and item, and their review log) and, on attempt items,
the confidence a cadre marked and when the key was shown in practice mode.

Revision ID: 9088516898f6
Revises: 48d2a5d267cb
Create Date: 2026-12-07 10:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '9088516898f6'
down_revision = '48d2a5d267cb'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('attempt_items', schema=None) as batch_op:
        batch_op.add_column(sa.Column('checked_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('confidence', sa.Enum('sure', 'unsure', name='confidence',
                                                            native_enum=False, length=8),
                                      nullable=True))
    op.create_table(
        'review_cards',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('item_id', sa.String(length=16), nullable=False),
        sa.Column('state', sa.Integer(), nullable=False),
        sa.Column('step', sa.Integer(), nullable=True),
        sa.Column('stability', sa.Float(), nullable=True),
        sa.Column('difficulty', sa.Float(), nullable=True),
        sa.Column('due_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('last_review_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('reviews', sa.Integer(), nullable=False),
        sa.Column('lapses', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['item_id'], ['items.id'],
                                name=op.f('fk_review_cards_item_id_items')),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'],
                                name=op.f('fk_review_cards_user_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_review_cards')),
        sa.UniqueConstraint('user_id', 'item_id', name=op.f('uq_review_cards_user_id_item_id')),
    )
    with op.batch_alter_table('review_cards', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_review_cards_due_at'), ['due_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_review_cards_user_id'), ['user_id'], unique=False)
    op.create_table(
        'review_logs',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('card_id', sa.Integer(), nullable=False),
        sa.Column('attempt_item_id', sa.Integer(), nullable=False),
        sa.Column('rating', sa.Integer(), nullable=False),
        sa.Column('reviewed_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('duration_ms', sa.Integer(), nullable=True),
        sa.Column('source', sa.String(length=20), nullable=False),
        sa.ForeignKeyConstraint(['attempt_item_id'], ['attempt_items.id'],
                                name=op.f('fk_review_logs_attempt_item_id_attempt_items'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['card_id'], ['review_cards.id'],
                                name=op.f('fk_review_logs_card_id_review_cards')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_review_logs')),
        sa.UniqueConstraint('attempt_item_id', name=op.f('uq_review_logs_attempt_item_id')),
    )
    with op.batch_alter_table('review_logs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_review_logs_card_id'), ['card_id'], unique=False)


def downgrade():
    with op.batch_alter_table('review_logs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_review_logs_card_id'))
    op.drop_table('review_logs')
    with op.batch_alter_table('review_cards', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_review_cards_user_id'))
        batch_op.drop_index(batch_op.f('ix_review_cards_due_at'))
    op.drop_table('review_cards')
    with op.batch_alter_table('attempt_items', schema=None) as batch_op:
        batch_op.drop_column('confidence')
        batch_op.drop_column('checked_at')
