"""commentary_search: narrow rows, so counting and faceting the matches reads few pages

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03 12:40:00.000000

A row's words and key words are kilobytes; its symbols and month, which every search's
total and facets read for each match, are a few dozen bytes. Values are moved out of
the row until it fits 128 bytes, except the symbols, which stay in it. Rows written
from now on are stored so (a reindex rewrites them all).
"""

from collections.abc import Sequence

from alembic import op

revision: str = '0005'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    if op.get_bind().dialect.name != 'postgresql':
        return
    op.execute('ALTER TABLE commentary_search SET (toast_tuple_target = 128)')
    op.execute('ALTER TABLE commentary_search ALTER COLUMN symbols SET STORAGE MAIN')


def downgrade() -> None:
    if op.get_bind().dialect.name != 'postgresql':
        return
    op.execute('ALTER TABLE commentary_search RESET (toast_tuple_target)')
    op.execute('ALTER TABLE commentary_search ALTER COLUMN symbols SET STORAGE EXTENDED')
