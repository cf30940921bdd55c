"""commentary (id, revision) index

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-02 02:35:00.000000

Comparing the database with the index reads every (id, revision) pair; without this
index SQLite walks each row's body and raw text to reach the revision column.
"""

from collections.abc import Sequence

from alembic import op

revision: str = '0002'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('commentary', schema=None) as batch_op:
        batch_op.create_index('ix_commentary_id_revision', ['id', 'revision'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('commentary', schema=None) as batch_op:
        batch_op.drop_index('ix_commentary_id_revision')
