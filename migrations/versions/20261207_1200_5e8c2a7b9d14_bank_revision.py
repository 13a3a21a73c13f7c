"""The bank's revision token: drawn afresh by every write to an item or an item version, so
server processes can keep the pools a start draws from and know when to read them again.

Revision ID: 5e8c2a7b9d14
Revises: c3a9e5d17f24
Create Date: 2026-12-07 12:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '5e8c2a7b9d14'
down_revision = 'c3a9e5d17f24'
branch_labels = None
depends_on = None


def upgrade():
    table = op.create_table(
        'bank_revision',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('token', sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_bank_revision')),
    )
    op.bulk_insert(table, [{'id': 1, 'token': 'initial'}])


def downgrade():
    op.drop_table('bank_revision')
