"""Plan a parsed query: the criteria it matches, with the terms to highlight and the
names and synonyms it expanded.

Words are segmented by the index's own analyzer, so 英伟达财报 is 英伟达 AND 财报 and a
phrase is a phrase of index words. Unless the search is literal, a word that names an
instrument (英伟达, 輝達, Nvidia, NVDA) also matches any listing of its issuer
(``Tagged``), and a word of the regional vocabulary table (降息) also matches the other
words of its group (減息) in title and body. Prefixes (降*) and quoted phrases are
never expanded: quoting is how a reader asks for exactly these words, so "降息" finds
降息 only, as "英伟达" finds 英伟达 only. Which index words a prefix stands for is the
engine's to find (``Prefix``): only it knows the words it holds.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from app.search import synonyms as vocabulary
from app.search.analyzer import words
from app.search.criteria import (
    AllOf,
    AnyOf,
    Criterion,
    During,
    Prefix,
    Source,
    Tagged,
    Without,
    Words,
)
from app.search.syntax import (
    MAX_CLAUSES,
    TOO_MANY_WORDS,
    And,
    Field,
    Node,
    Not,
    Phrase,
    QueryError,
    Word,
    quoted,
)

if TYPE_CHECKING:  # the instruments package imports this one
    from app.instruments.named import Named

# Index words one query may look for: an unspaced run or a phrase is many words, and an
# engine's cost grows with their number faster than linearly.
MAX_WORDS = MAX_CLAUSES
_DATE = re.compile(r"(?P<y>\d{4})(?:[-/.](?P<m>\d{1,2})(?:[-/.](?P<d>\d{1,2}))?)?")

Highlight = tuple[str, ...]  # index words in a row; a last word ending in "*" is a prefix


@dataclass(frozen=True, slots=True)
class Sought:
    """One thing the reader looks for, in every form a text may write it: a query word
    with its synonyms and instrument names, a phrase, or the names of a ticker filter.
    A snippet holding a form of each is the one to show."""

    terms: tuple[Highlight, ...]
    # A ticker filter: every hit names it, so showing it matters less than the words.
    ticker_filter: bool = False


class Names(Protocol):
    def named(self, word: str) -> Named | None:
        """The instrument ``word`` (as typed, folded) unambiguously names, if any."""

    def ticker(self, code: str) -> Named | None:
        """The instrument a ``ticker:`` value means (a symbol in any form, or a name)."""


@dataclass
class Plan:
    criterion: Criterion | None  # None: the query asks for nothing (every commentary)
    has_text: bool = False  # some word or phrase is looked for: relevance can rank
    highlights: list[Highlight] = field(default_factory=list)
    expanded: list[tuple[str, Named]] = field(default_factory=list)  # (word, instrument)
    # (word, the other words of its group as the table writes them): 降息 → (減息,)
    synonyms: list[tuple[str, tuple[str, ...]]] = field(default_factory=list)
    # What the reader looks for, one entry per positive word, phrase or ticker filter.
    sought: list[Sought] = field(default_factory=list)


def date_bound(value: str, *, end: bool, label: str) -> dt.date:
    """``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY`` as the first day (or the last, for an
    ``end`` bound) of the period it names."""
    found = _DATE.fullmatch(value.strip())
    try:
        if found is None:
            raise ValueError
        year, month, day = int(found["y"]), found["m"], found["d"]
        if month is None:
            return dt.date(year, 12, 31) if end else dt.date(year, 1, 1)
        if day is None:
            last = calendar.monthrange(year, int(month))[1]
            return dt.date(year, int(month), last if end else 1)
        return dt.date(year, int(month), int(day))
    except ValueError:
        raise QueryError(
            f"无法识别的日期：{quoted(f'{label}:{value}')}"
            "（请写成 2024-09-14、2024-09 或 2024 这样的格式）"
        ) from None


def tagged(symbols: Iterable[str]) -> Tagged:
    """Commentaries tagged with any of ``symbols`` (the listings of one issuer), each
    symbol once."""
    return Tagged(tuple(dict.fromkeys(symbols)))


class _Planner:
    def __init__(self, names: Names | None, literal: bool) -> None:
        self.names = names
        self.literal = literal
        self.result = Plan(None)
        self.words = 0

    def count(self, words: int) -> None:
        self.words += words
        if self.words > MAX_WORDS:
            raise QueryError(TOO_MANY_WORDS)

    def node(self, node: Node, positive: bool) -> Criterion | None:
        if isinstance(node, Word):
            return self.word(node, positive)
        if isinstance(node, Phrase):
            return self.phrase(node, positive)
        if isinstance(node, Field):
            return self.field(node, positive)
        if isinstance(node, Not):
            inner = self.node(node.child, not positive)
            return Without(inner) if inner is not None else None
        parts = _distinct(
            c for c in (self.node(child, positive) for child in node.children) if c is not None
        )
        if not parts:
            return None
        if len(parts) == 1:
            return parts[0]
        return AllOf(tuple(parts)) if isinstance(node, And) else AnyOf(tuple(parts))

    def word(self, node: Word, positive: bool) -> Criterion | None:
        tokens = list(words(node.text))
        parts: list[Criterion] = []
        seen: set[tuple[str, bool]] = set()
        for i, (_, token, start, end) in enumerate(tokens):
            prefix = node.prefix and i == len(tokens) - 1
            # 降息降息 is 降息 AND 降息: the second costs time and finds nothing more.
            if (token, prefix) in seen:
                continue
            seen.add((token, prefix))
            self.count(1)
            first = len(self.result.highlights)
            if positive:
                self.result.has_text = True
                self.result.highlights.append((token + "*",) if prefix else (token,))
            if prefix:
                parts.append(Prefix(token))
            else:
                parts.append(self._expanded(node.text[start:end], token, positive))
            if positive:
                self._sought(first)
        if not parts:
            return None
        return parts[0] if len(parts) == 1 else AllOf(tuple(parts))

    def _sought(self, first: int, *, ticker_filter: bool = False) -> None:
        """The highlights added since ``first`` are the forms of one sought thing."""
        terms = tuple(dict.fromkeys(self.result.highlights[first:]))
        if terms:
            self.result.sought.append(Sought(terms, ticker_filter))

    def _expanded(self, typed: str, token: str, positive: bool) -> Criterion:
        """``token`` in title or body, or, unless literal, a word of its synonym group
        there, or a listing of the instrument it names."""
        if self.literal:
            return Words((token,))
        others = vocabulary.synonyms(token)
        # In one order whatever word of the group was typed, so 降息 減息 is one clause.
        clauses: list[Criterion] = [Words((word,)) for word in sorted((token, *others))]
        named = self.names.named(typed) if self.names is not None else None
        if named is not None:
            clauses.append(tagged(named.symbols))
        # Excluding 降息 excludes 減息 too, but only what the reader looks for is listed.
        if positive and others:
            self.result.synonyms.append((typed, tuple(vocabulary.shown(w) for w in others)))
            self.result.highlights.extend((w,) for w in others)
        if positive and named is not None:
            self.result.expanded.append((typed, named))
            self.result.highlights.extend((n,) for n in named.names)
        return clauses[0] if len(clauses) == 1 else AnyOf(tuple(clauses))

    def phrase(self, node: Phrase, positive: bool) -> Criterion | None:
        tokens = tuple(token for _, token, _, _ in words(node.text))
        if not tokens:
            return None
        self.count(len(tokens))
        if positive:
            self.result.has_text = True
            self.result.highlights.append(tokens)
            self._sought(len(self.result.highlights) - 1)
        return Words(tokens)

    def field(self, node: Field, positive: bool) -> Criterion | None:
        if node.name == "ticker":
            named = self.names.ticker(node.value) if self.names is not None else None
            if named is None:
                return tagged((node.value.upper(),))
            if positive:
                first = len(self.result.highlights)
                self.result.highlights.extend((n,) for n in named.names)
                self._sought(first, ticker_filter=True)
            return tagged(named.symbols)
        if node.name == "source":
            return Source(node.value.casefold())
        label = node.name
        if label == "year":
            if not re.fullmatch(r"\d{4}", node.value.strip()):
                raise QueryError(
                    f"无法识别的年份：{quoted(f'year:{node.value}')}（请写成四位数字，例如 2024）"
                )
            return During(
                date_bound(node.value, end=False, label=label),
                date_bound(node.value, end=True, label=label),
            )
        bound = date_bound(node.value, end=label == "to", label=label)
        return During(bound, None) if label == "from" else During(None, bound)


def _distinct(criteria: Iterable[Criterion]) -> list[Criterion]:
    """``criteria`` without repeats, in order: A AND A is A, and A OR A is A."""
    found: list[Criterion] = []
    for criterion in criteria:
        if criterion not in found:
            found.append(criterion)
    return found


def plan(tree: Node | None, names: Names | None, *, literal: bool = False) -> Plan:
    """What ``tree`` matches and what a page shows of it. Raises ``QueryError`` for a
    query with too many words or a date that cannot be read."""
    planner = _Planner(names, literal)
    planner.result.criterion = planner.node(tree, True) if tree is not None else None
    return planner.result
