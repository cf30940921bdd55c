"""Ingest: find files, read and clean them, store commentaries, keep the index in step."""

from app.ingest.lock import IngestLocked
from app.ingest.pipeline import ingest, reindex
from app.ingest.report import IngestReport

__all__ = ["IngestLocked", "IngestReport", "ingest", "reindex"]
