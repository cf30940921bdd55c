"""The Whoosh schema. The body is indexed, not stored: the database holds the text."""

from __future__ import annotations

from whoosh.fields import DATETIME, ID, KEYWORD, NUMERIC, STORED, TEXT, Schema

from app.search.analyzer import chinese_analyzer

SCHEMA_VERSION = 1


def build_schema() -> Schema:
    analyzer = chinese_analyzer()
    return Schema(
        id=ID(stored=True, unique=True),
        rev=STORED(),
        title=TEXT(analyzer=analyzer, phrase=True, field_boost=2.0),
        body=TEXT(analyzer=analyzer, phrase=True),
        # Exact canonical symbols (NVDA, BRK.B, 0700.HK): no folding, no stemming.
        tickers=KEYWORD(commas=True, scorable=True, lowercase=False),
        date=DATETIME(sortable=True),
        date_precision=ID(),
        source=ID(),
        year=NUMERIC(int, bits=16, sortable=True),
    )
