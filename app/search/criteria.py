"""What a search matches, in the archive's own terms: a small tree any engine can run.

The query language (``syntax``) is parsed and planned (``planner``) into these nodes;
an engine turns them into its own query. Words are index words, as the archive's
analyzer produces them (folded, simplified, segmented by jieba), so every engine sees
the same words whatever it stores.

Scoring, for engines that rank: a ``Words`` leaf is scored in the title (weighted
twice) and the body; ``Tagged`` is scored as a keyword in the commentary's tickers;
``Source``, the date bounds of a query (``During``) and an exclusion (``Without``)
weigh the same for every commentary they keep; ``AllOf`` and ``AnyOf`` add their
parts' scores. The Whoosh engine's ranking is exactly Whoosh's BM25F; another engine
ranks by its own measure.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Words:
    """These index words, in a row, in the title or the body (one word: anywhere)."""

    words: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Prefix:
    """Any index word that starts with ``stem``, in the title or the body; an engine
    looks at no more than ``MAX_PREFIX_WORDS`` of them."""

    stem: str


@dataclass(frozen=True, slots=True)
class Tagged:
    """Commentaries that mention any of ``symbols`` (canonical symbols, one issuer's
    listings)."""

    symbols: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Source:
    """Commentaries from this source (case-folded)."""

    value: str


@dataclass(frozen=True, slots=True)
class During:
    """Commentaries whose date overlaps ``[start, end]`` (``app.periods.overlaps``);
    undated ones never do. At least one bound is set."""

    start: dt.date | None
    end: dt.date | None


@dataclass(frozen=True, slots=True)
class AllOf:
    parts: tuple[Criterion, ...]


@dataclass(frozen=True, slots=True)
class AnyOf:
    parts: tuple[Criterion, ...]


@dataclass(frozen=True, slots=True)
class Without:
    """Not ``part``: every commentary but those ``part`` matches (``-期权``, ``财报 OR
    -期权``, ``-(-财报)``); beside something positive in an ``AllOf``, those of it
    that ``part`` does not match."""

    part: Criterion


@dataclass(frozen=True, slots=True)
class Nothing:
    """Matches no commentary (a prefix no index word starts with, say)."""


Criterion = Words | Prefix | Tagged | Source | During | AllOf | AnyOf | Without | Nothing

MAX_PREFIX_WORDS = 64
