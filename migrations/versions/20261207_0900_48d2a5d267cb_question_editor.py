"""The question editor: an item may belong to a coordinator's local bank (owner) and knows its
newest version (head) beside the published one quizzes draw (current); a version has a review
status, its author and reviewer, and its texts for searching; an assignment may add items of
its coordinator's local bank. Versions loaded from the files are published.

Revision ID: 48d2a5d267cb
Revises: 7d4b1f9c2e63
Create Date: 2026-12-07 09:00:00

"""
import json

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '48d2a5d267cb'
down_revision = '7d4b1f9c2e63'
branch_labels = None
depends_on = None


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for inner in value.values():
            yield from _strings(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from _strings(inner)


def upgrade():
    with op.batch_alter_table('items', schema=None) as batch_op:
        batch_op.add_column(sa.Column('owner_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('head_version', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_items_owner_id'), ['owner_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_items_owner_id_users'), 'users',
                                    ['owner_id'], ['id'])
    op.execute('UPDATE items SET head_version = current_version')
    with op.batch_alter_table('items', schema=None) as batch_op:
        batch_op.alter_column('head_version', existing_type=sa.Integer(), nullable=False)

    with op.batch_alter_table('item_versions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('status', sa.Enum('draft', 'in_review', 'published',
                                                        name='versionstatus',
                                                        native_enum=False, length=12),
                                      nullable=False, server_default='published'))
        batch_op.add_column(sa.Column('author_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('reviewer_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('reviewed_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('review_comment', sa.String(length=1000), nullable=True))
        batch_op.add_column(sa.Column('search_text', sa.Text(), nullable=False,
                                      server_default=''))
        batch_op.create_foreign_key(batch_op.f('fk_item_versions_author_id_users'), 'users',
                                    ['author_id'], ['id'])
        batch_op.create_foreign_key(batch_op.f('fk_item_versions_reviewer_id_users'), 'users',
                                    ['reviewer_id'], ['id'])

    # The texts of the versions already loaded, for the editor's search.
    versions = sa.table('item_versions', sa.column('id', sa.Integer()),
                        sa.column('content', sa.JSON()), sa.column('search_text', sa.Text()))
    connection = op.get_bind()
    for version_id, content in connection.execute(sa.select(versions.c.id,
                                                            versions.c.content)).all():
        if isinstance(content, str):
            content = json.loads(content)
        connection.execute(versions.update().where(versions.c.id == version_id).values(
            search_text=' '.join(_strings(content)).lower()))

    with op.batch_alter_table('assignments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('local_items', sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table('assignments', schema=None) as batch_op:
        batch_op.drop_column('local_items')

    with op.batch_alter_table('item_versions', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_item_versions_reviewer_id_users'),
                                 type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_item_versions_author_id_users'),
                                 type_='foreignkey')
        batch_op.drop_column('search_text')
        batch_op.drop_column('review_comment')
        batch_op.drop_column('reviewed_at')
        batch_op.drop_column('reviewer_id')
        batch_op.drop_column('author_id')
        batch_op.drop_column('status')

    with op.batch_alter_table('items', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_items_owner_id_users'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_items_owner_id'))
        batch_op.drop_column('head_version')
        batch_op.drop_column('owner_id')
