"""Database tables (SQLModel) and the small value types shared across the app."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from sqlalchemy import Column, ForeignKey, Index, Integer, Text
from sqlmodel import Field, SQLModel


class TitleSource(StrEnum):
    FRONT_MATTER = "front_matter"
    IN_TEXT = "in_text"
    DERIVED = "derived"


class DatePrecision(StrEnum):
    DAY = "day"
    MONTH = "month"
    INFERRED = "inferred"
    NONE = "none"


class Outcome(StrEnum):
    ADDED = "added"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    DUPLICATE = "duplicate"
    FAILED = "failed"
    PRUNED = "pruned"


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Commentary(SQLModel, table=True):
    __tablename__ = "commentary"
    __table_args__ = (
        Index("ix_commentary_published_id", "published", "id"),
        Index("ix_commentary_origin_path", "origin_path"),
        # Covers the (id, revision) pairs read to compare the database with the index.
        Index("ix_commentary_id_revision", "id", "revision"),
    )

    id: int | None = Field(default=None, primary_key=True)
    title: str = Field(sa_column=Column(Text, nullable=False))
    title_source: str = Field(max_length=16)
    published: dt.date | None = Field(default=None)
    date_precision: str = Field(default=DatePrecision.NONE, max_length=16)
    source: str | None = Field(default=None, max_length=200)
    author: str | None = Field(default=None, max_length=200)
    url: str | None = Field(default=None, max_length=2000)
    body: str = Field(sa_column=Column(Text, nullable=False))
    raw_text: str = Field(sa_column=Column(Text, nullable=False))
    encoding: str = Field(max_length=64)
    content_hash: str = Field(max_length=64, unique=True)
    # Hash of the input record as read; an unchanged file is skipped without decoding.
    raw_hash: str = Field(max_length=64)
    # Where the commentary came from: the file path, or "path#L<n>" for a JSONL line.
    origin_key: str = Field(max_length=2000, unique=True)
    origin_path: str = Field(max_length=2000)
    declared_tickers: str = Field(default="", max_length=2000)
    char_count: int = Field(default=0)
    # Bumped on every change; the index stores it so that a lagging entry is found.
    revision: int = Field(default=1)
    ingested_at: dt.datetime = Field(default_factory=utcnow)
    updated_at: dt.datetime = Field(default_factory=utcnow)

    @property
    def declared_ticker_list(self) -> list[str]:
        return [t for t in self.declared_tickers.split(",") if t]


class Instrument(SQLModel, table=True):
    __tablename__ = "instrument"

    id: int | None = Field(default=None, primary_key=True)
    symbol: str = Field(max_length=32, unique=True)
    kind: str = Field(max_length=16)
    exchange: str | None = Field(default=None, max_length=32)
    name: str = Field(max_length=200)
    name_zh: str | None = Field(default=None, max_length=200)
    # JSON list of aliases in every script and region.
    aliases: str = Field(default="[]", sa_column=Column(Text, nullable=False, default="[]"))
    # The company behind the listing; its other listings share the id.
    issuer: str = Field(default="", max_length=64, index=True)
    # Learned from a commentary that wrote the name with this code, not from our lists.
    learned: bool = Field(default=False)


class Mention(SQLModel, table=True):
    __tablename__ = "mention"
    __table_args__ = (
        Index("ix_mention_symbol_published", "symbol", "published", "commentary_id"),
        Index("ix_mention_commentary", "commentary_id", "start"),
        Index("ix_mention_issuer_published", "issuer", "published", "commentary_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    commentary_id: int = Field(
        sa_column=Column(Integer, ForeignKey("commentary.id", ondelete="CASCADE"), nullable=False)
    )
    symbol: str = Field(max_length=32)  # the listing the mention was resolved to
    issuer: str = Field(default="", max_length=64)
    alias: str = Field(max_length=200)
    start: int
    end: int
    paragraph: int
    # Copied from the commentary so "mentions of X by date" is one index range scan.
    published: dt.date | None = Field(default=None)


class IngestRun(SQLModel, table=True):
    __tablename__ = "ingest_run"

    id: int | None = Field(default=None, primary_key=True)
    started_at: dt.datetime = Field(default_factory=utcnow)
    finished_at: dt.datetime | None = Field(default=None)
    status: str = Field(default="running", max_length=16)
    paths: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    duplicate: int = 0
    failed: int = 0
    pruned: int = 0


class IngestFile(SQLModel, table=True):
    __tablename__ = "ingest_file"
    id: int | None = Field(default=None, primary_key=True)
    run_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("ingest_run.id", ondelete="CASCADE"), nullable=False, index=True
        )
    )
    path: str = Field(sa_column=Column(Text, nullable=False))
    outcome: str = Field(max_length=16)
    reason: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    commentary_id: int | None = Field(default=None)


class AnalysisSource(SQLModel, table=True):
    """One of the files the stored mentions and index words were made with (the
    instrument lists, the reader's aliases, the stop lists, jieba's extra words, the
    synonym table), and the version of the analysis itself: the next ingest compares
    them with the current ones and re-analyses only what a change touches."""

    __tablename__ = "analysis_source"

    name: str = Field(primary_key=True, max_length=64)
    digest: str = Field(max_length=64)
    text: str = Field(sa_column=Column(Text, nullable=False))
