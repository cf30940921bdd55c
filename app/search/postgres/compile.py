"""The criteria tree as SQL over the search table: a ``tsquery`` where the tree is
words, and ordinary conditions for symbols, sources and dates.

Words of one subtree join into a single ``tsquery`` (``&``, ``|``, ``!``, phrases
with ``<->``, prefixes with ``:*``), so the words' index answers them in one scan;
the rest are conditions on indexed columns. Ranking reads the ``tsquery`` of every
word the tree asks for (not those it excludes).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, Text, and_, cast, false, func, literal, not_, or_, true
from sqlalchemy.dialects.postgresql import ARRAY, TSQUERY

from app import periods
from app.search.backend import Filters
from app.search.criteria import (
    AllOf,
    AnyOf,
    Criterion,
    During,
    Nothing,
    Prefix,
    Source,
    Tagged,
    Without,
    Words,
)
from app.search.postgres.table import search_table
from app.search.postgres.words import quoted

COLUMNS = search_table.c


@dataclass(frozen=True, slots=True)
class _Text:
    """A subtree that is words only, as ``tsquery`` text."""

    query: str


@dataclass(frozen=True, slots=True)
class _Sql:
    clause: ColumnElement[bool]


_Node = _Text | _Sql


def tsquery(text: str) -> ColumnElement[object]:
    """``text`` as a ``tsquery`` literal, bound as a parameter."""
    return cast(literal(text), TSQUERY)


def matches(query: str) -> ColumnElement[bool]:
    found: ColumnElement[bool] = COLUMNS.words.bool_op("@@")(tsquery(query))
    return found


def _sql(node: _Node) -> ColumnElement[bool]:
    return matches(node.query) if isinstance(node, _Text) else node.clause


def _words(criterion: Words) -> str:
    return " <-> ".join(quoted(word) for word in criterion.words)


def tagged(symbols: tuple[str, ...]) -> ColumnElement[bool]:
    """Rows whose symbols include any of ``symbols``."""
    unique = list(dict.fromkeys(symbols))
    found: ColumnElement[bool] = COLUMNS.symbols.overlap(literal(unique, ARRAY(Text)))
    return found


def dates(start: object, end: object) -> ColumnElement[bool] | None:
    """Rows whose period overlaps ``[start, end]`` by ``periods.overlaps``; undated
    rows have no period, so no bound keeps them."""
    kept: ColumnElement[bool] | None = periods.overlaps(
        COLUMNS.date_from, COLUMNS.date_to, start, end
    )
    return kept


def _joined(parts: list[_Node], every: bool) -> _Node:
    distinct = list(dict.fromkeys(parts))
    if len(distinct) == 1:
        return distinct[0]
    if all(isinstance(part, _Text) for part in distinct):
        glue = " & " if every else " | "
        return _Text(glue.join(f"({part.query})" for part in distinct))  # type: ignore[union-attr]
    clauses = [_sql(part) for part in distinct]
    return _Sql(and_(*clauses) if every else or_(*clauses))


def _node(criterion: Criterion) -> _Node:
    if isinstance(criterion, Words):
        return _Text(_words(criterion))
    if isinstance(criterion, Prefix):
        return _Text(f"{quoted(criterion.stem)}:*")
    if isinstance(criterion, Tagged):
        return _Sql(tagged(criterion.symbols))
    if isinstance(criterion, Source):
        return _Sql(COLUMNS.source == criterion.value)
    if isinstance(criterion, During):
        kept = dates(criterion.start, criterion.end)
        return _Sql(true() if kept is None else kept)
    if isinstance(criterion, Without):
        part = _node(criterion.part)
        if isinstance(part, _Text):
            return _Text(f"!({part.query})")
        # A condition on a column a row lacks (no date, no source) is NULL: not true,
        # so its negation must be true.
        return _Sql(not_(func.coalesce(part.clause, false())))
    if isinstance(criterion, Nothing):
        return _Sql(false())
    parts = [_node(part) for part in criterion.parts]
    if not parts:
        return _Sql(false())
    return _joined(parts, isinstance(criterion, AllOf))


def condition(criterion: Criterion | None) -> ColumnElement[bool]:
    """What a row must be to match ``criterion`` (every row for ``None``)."""
    if criterion is None:
        return true()
    return _sql(_node(criterion))


def needs_words(criterion: Criterion | None) -> bool:
    """Whether ``condition(criterion)`` itself requires a ``tsquery`` of every match
    (the words' index then answers it), rather than joining words with other
    conditions by OR or NOT."""
    if criterion is None:
        return False
    node = _node(criterion)
    if isinstance(node, _Text):
        return True
    return isinstance(criterion, AllOf) and any(
        isinstance(_node(part), _Text) for part in criterion.parts
    )


def _sought(criterion: Criterion, negated: bool = False) -> list[str]:
    """The ``tsquery`` text of each word and prefix the tree asks for."""
    if isinstance(criterion, Words):
        return [] if negated else [_words(criterion)]
    if isinstance(criterion, Prefix):
        return [] if negated else [f"{quoted(criterion.stem)}:*"]
    if isinstance(criterion, Without):
        return _sought(criterion.part, not negated)
    if isinstance(criterion, AllOf | AnyOf):
        return [q for part in criterion.parts for q in _sought(part, negated)]
    return []


def ranked_query(criterion: Criterion | None) -> str | None:
    """The ``tsquery`` relevance is ranked by: any word the tree asks for; None when
    it asks for none (every match then weighs the same)."""
    if criterion is None:
        return None
    sought = list(dict.fromkeys(_sought(criterion)))
    if not sought:
        return None
    return " | ".join(f"({q})" for q in sought)


def filter_condition(filters: Filters) -> ColumnElement[bool] | None:
    """What every hit must also be: each ticker group, then the dates."""
    clauses = [tagged(group) for group in filters.tickers]
    kept = dates(filters.start, filters.end)
    if kept is not None:
        clauses.append(kept)
    if not clauses:
        return None
    return and_(*clauses)
