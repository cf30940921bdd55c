"""Parse a reader's query and run it against an open searcher."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from whoosh import qparser
from whoosh.fields import Schema
from whoosh.query import Not, Phrase, Query
from whoosh.searching import Searcher

from app.search.schema import build_schema
from app.text.normalize import fold

MAX_QUERY_CHARS = 500
Sort = Literal["relevance", "newest", "oldest"]
SORTS: tuple[Sort, ...] = ("relevance", "newest", "oldest")
TEXT_FIELDS = ("title", "body")

_TICKER_PREFIX = re.compile(r"(?i)(?<![\w:])(?:ticker|tickers):(\S+)|(?<![\w$])\$([A-Za-z][\w.]*)")


class QueryError(ValueError):
    """The query cannot be run; the message is meant for the reader."""


@dataclass(frozen=True, slots=True)
class Hit:
    id: int
    score: float


@dataclass(frozen=True, slots=True)
class SearchPage:
    query: str
    total: int
    page: int
    per_page: int
    sort: Sort
    hits: tuple[Hit, ...]
    terms: tuple[str, ...]


def _parser(schema: object) -> qparser.QueryParser:
    parser = qparser.MultifieldParser(list(TEXT_FIELDS), schema, group=qparser.AndGroup)
    # Wildcards, ranges, boosts and "*:*" are expensive or surprising for readers.
    for plugin in (
        qparser.WildcardPlugin,
        qparser.RangePlugin,
        qparser.BoostPlugin,
        qparser.EveryPlugin,
    ):
        parser.remove_plugin_class(plugin)
    return parser


_MINUS = re.compile(r"(^|[\s(])-(?=[^\s\-)])")


def _minus_to_not(text: str) -> str:
    return _MINUS.sub(r"\1NOT ", text)


def _tickers_to_field(text: str) -> str:
    def upper(match: re.Match[str]) -> str:
        return f"tickers:{(match.group(1) or match.group(2)).upper()}"

    return _TICKER_PREFIX.sub(upper, text)


def parse(text: str, schema: object) -> Query:
    text = fold(text).strip()
    if len(text) > MAX_QUERY_CHARS:
        raise QueryError(
            f"the query is too long ({len(text)} characters, at most {MAX_QUERY_CHARS})"
        )
    return _parser(schema).parse(_minus_to_not(_tickers_to_field(text)))


def _join_phrase(words: list[str]) -> str:
    """The phrase as it reads in text: Chinese words run together, Latin ones spaced."""
    out = words[0] if words else ""
    for word in words[1:]:
        latin_gap = out[-1:].isascii() and out[-1:].isalnum() and word[:1].isascii()
        out += (" " if latin_gap else "") + word
    return out


def highlight_terms(query: Query) -> tuple[str, ...]:
    """Text-field terms a reader should see highlighted (not the negated ones)."""
    found: set[str] = set()

    def walk(node: Query) -> None:
        if isinstance(node, Not):
            return
        if isinstance(node, Phrase) and node.fieldname in TEXT_FIELDS:
            found.add(_join_phrase([str(w) for w in node.words]))
            return
        if node.is_leaf():
            for fieldname, word in node.iter_all_terms(phrases=True):
                if fieldname in TEXT_FIELDS:
                    found.add(word.decode("utf-8") if isinstance(word, bytes) else str(word))
            return
        for child in node.children():
            walk(child)

    walk(query)
    return tuple(sorted(found))


@lru_cache(maxsize=1)
def _schema() -> Schema:
    return build_schema()


def query_terms(text: str) -> tuple[str, ...]:
    """The terms of ``text`` to highlight; none when it does not parse."""
    if not text.strip():
        return ()
    try:
        return highlight_terms(parse(text, _schema()))
    except QueryError:
        return ()


def run(
    searcher: Searcher,
    text: str,
    *,
    page: int = 1,
    per_page: int = 20,
    sort: Sort = "relevance",
) -> SearchPage:
    query = parse(text, searcher.schema)
    kwargs: dict[str, object] = {}
    if sort != "relevance":
        kwargs = {"sortedby": "date", "reverse": sort == "newest"}
    results = searcher.search_page(query, page, pagelen=per_page, **kwargs)
    hits = tuple(Hit(id=int(hit["id"]), score=float(hit.score or 0.0)) for hit in results)
    return SearchPage(
        query=text,
        total=len(results),
        page=page,
        per_page=per_page,
        sort=sort,
        hits=hits,
        terms=highlight_terms(query),
    )
