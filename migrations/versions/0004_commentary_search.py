"""commentary_search: the PostgreSQL search engine's index, in the database itself

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-03 13:00:00.000000

Only on PostgreSQL: one row per commentary with its analysed words as a tsvector,
written by ingest in the commentary's own transaction (ARCHIVE_SEARCH_BACKEND=postgres).
The words get a RUM index where that extension is installed, GIN otherwise; rows are
filled by the next ingest or `archive reindex --backend postgres`.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    if op.get_bind().dialect.name != 'postgresql':
        return
    op.create_table(
        'commentary_search',
        sa.Column(
            'commentary_id',
            sa.Integer(),
            sa.ForeignKey('commentary.id', ondelete='CASCADE'),
            primary_key=True,
        ),
        sa.Column('revision', sa.Integer(), nullable=False),
        sa.Column('analysis', sa.Integer(), nullable=False),
        sa.Column('words', postgresql.TSVECTOR(), nullable=False),
        sa.Column('symbols', postgresql.ARRAY(sa.Text()), nullable=False),
        sa.Column('source', sa.Text()),
        sa.Column('date_from', sa.Date()),
        sa.Column('date_to', sa.Date()),
        sa.Column('month', sa.String(length=7)),
        sa.Column('newest', sa.BigInteger(), nullable=False),
        sa.Column('oldest', sa.BigInteger(), nullable=False),
        sa.Column('keys', sa.Text(), nullable=False),
    )
    rum = op.get_bind().execute(sa.text("SELECT 1 FROM pg_extension WHERE extname = 'rum'"))
    if rum.first() is not None:
        op.execute(
            'CREATE INDEX ix_commentary_search_words ON commentary_search'
            ' USING rum (words rum_tsvector_ops)'
        )
    else:
        op.execute(
            'CREATE INDEX ix_commentary_search_words ON commentary_search USING gin (words)'
        )
    op.execute(
        'CREATE INDEX ix_commentary_search_symbols ON commentary_search USING gin (symbols)'
    )
    op.create_index('ix_commentary_search_newest', 'commentary_search', ['newest'])
    op.create_index('ix_commentary_search_oldest', 'commentary_search', ['oldest'])


def downgrade() -> None:
    if op.get_bind().dialect.name != 'postgresql':
        return
    op.drop_table('commentary_search')
