"""The Whoosh schema. The body is indexed, not stored: the database holds the text.

Dates are day ordinals: ``date_from``/``date_to`` bound the period a commentary's date
stands for (one day, or a whole month), so a date filter keeps whatever overlaps it;
undated commentaries carry neither and fall outside every date filter. ``newest`` and
``oldest`` are sort keys that keep undated commentaries last in both orders. ``keys``
holds the body's candidate key words with their weights (``terms.key_words``), from
which related commentaries are found without the body.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache
from typing import Any

from whoosh.fields import ID, KEYWORD, NUMERIC, STORED, TEXT, Schema
from whoosh.formats import Format

from app.search.whoosh.analysis import chinese_analyzer
from app.search.whoosh.terms import FieldTerms

SCHEMA_VERSION = 4
TEXT_FIELDS = ("title", "body")


class AnalysedText(TEXT):  # type: ignore[misc]
    """A text field that also takes its terms computed ahead (``FieldTerms``).

    Whoosh pickles the field class into the index: keep this name and module."""

    def index(self, value: Any, **kwargs: Any) -> Iterator[Any]:
        if isinstance(value, FieldTerms):
            return iter(value.items)
        return iter(super().index(value, **kwargs))


def build_schema() -> Schema:
    analyzer = chinese_analyzer()
    return Schema(
        id=ID(stored=True, unique=True),
        rev=STORED(),
        title=AnalysedText(analyzer=analyzer, phrase=True, field_boost=2.0),
        body=AnalysedText(analyzer=analyzer, phrase=True),
        # Exact canonical symbols (NVDA, BRK.B, 0700.HK): no folding, no stemming.
        # Stored (a short string) so facets can count them without the database.
        tickers=KEYWORD(commas=True, scorable=True, lowercase=False, stored=True),
        date_from=NUMERIC(int, bits=32),
        date_to=NUMERIC(int, bits=32),
        month=STORED(),
        newest=NUMERIC(int, bits=64, sortable=True),
        oldest=NUMERIC(int, bits=64, sortable=True),
        source=ID(),
        keys=STORED(),
    )


@lru_cache(maxsize=1)
def _schema() -> Schema:
    return build_schema()


def text_formats() -> dict[str, Format]:
    """The posting format of each text field, for computing terms ahead."""
    return {name: _schema()[name].format for name in TEXT_FIELDS}


def text_field(name: str) -> AnalysedText:
    """A text field, to analyse text as the index writer does."""
    field = _schema()[name]
    assert isinstance(field, AnalysedText)
    return field
