"""analysis_source: the files the stored analysis was made with

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03 16:00:00.000000

An archive without rows here does not say what its mentions were found with, so the
first ingest after this migration re-analyses every commentary once.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0006'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'analysis_source',
        sa.Column('name', sa.String(length=64), primary_key=True),
        sa.Column('digest', sa.String(length=64), nullable=False),
        sa.Column('text', sa.Text(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table('analysis_source')
