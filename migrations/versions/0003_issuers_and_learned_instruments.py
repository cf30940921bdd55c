"""issuers on instruments and mentions; instruments learned from commentaries

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-03 02:40:00.000000

A company can have several listings (BABA and 9988.HK); mentions and instruments carry
the issuer so a ticker page shows every listing's mentions with one index range scan.
Existing rows get their own symbol as issuer; the next ingest sets the issuers of the
instruments and of their stored mentions.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0003'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('instrument', schema=None) as batch_op:
        batch_op.add_column(sa.Column('issuer', sa.String(length=64), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('learned', sa.Boolean(), nullable=False, server_default=sa.false()))
    with op.batch_alter_table('mention', schema=None) as batch_op:
        batch_op.add_column(sa.Column('issuer', sa.String(length=64), nullable=False, server_default=''))
    # Filled before the indexes are built: one pass over each table, not an index update
    # per row.
    op.execute("UPDATE instrument SET issuer = symbol")
    op.execute("UPDATE mention SET issuer = symbol")
    with op.batch_alter_table('instrument', schema=None) as batch_op:
        batch_op.create_index('ix_instrument_issuer', ['issuer'], unique=False)
    with op.batch_alter_table('mention', schema=None) as batch_op:
        batch_op.create_index(
            'ix_mention_issuer_published', ['issuer', 'published', 'commentary_id'], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table('mention', schema=None) as batch_op:
        batch_op.drop_index('ix_mention_issuer_published')
        batch_op.drop_column('issuer')
    with op.batch_alter_table('instrument', schema=None) as batch_op:
        batch_op.drop_index('ix_instrument_issuer')
        batch_op.drop_column('learned')
        batch_op.drop_column('issuer')
