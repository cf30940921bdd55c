"""The CPU-heavy half of ingest, run in worker processes (``app.parallel``).

Each record is cleaned (title, date, boilerplate), its body normalised and segmented
once, and those words serve both mention extraction and what the search engine wants
ready of the text (its ``preparer``). The main process keeps the database and index
writes, which must happen in one place.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from app.ingest.prepare import Prepared, PrepareError, prepare
from app.ingest.readers import Record
from app.instruments import Found, active, extract
from app.search import Preparer, words
from app.text.normalize import normalise


@dataclass(frozen=True, slots=True)
class Analysis:
    """What the dictionary and the segmenter make of a title and body."""

    mentions: tuple[Found, ...]
    index_ready: object | None  # the engine's preparation of title and body, if any


@dataclass(frozen=True, slots=True)
class Analysed(Analysis):
    prepared: Prepared


def analyse_text(title: str, body: str, preparer: Preparer | None = None) -> Analysis:
    """Find the mentions of ``body`` and prepare title and body for the index with
    ``preparer``, segmenting the body once for both."""
    normalised = normalise(body)
    tokens = list(words(normalised.text, subwords=True))
    mentions = extract(body, active(), normalised=normalised, tokens=tokens)
    # normalised.text is fold(body): the index reads the same words.
    ready = preparer(title, tokens) if preparer is not None else None
    return Analysis(tuple(mentions), ready)


def analyse(
    record: Record, today: dt.date, preparer: Preparer | None = None
) -> Analysed | PrepareError:
    """Clean ``record``, find its mentions, and prepare it for the index with
    ``preparer``; a record with nothing to store comes back as the ``PrepareError``
    that says why."""
    try:
        prepared = prepare(record, today)
    except PrepareError as exc:
        return exc
    analysis = analyse_text(prepared.title, prepared.body, preparer)
    return Analysed(analysis.mentions, analysis.index_ready, prepared)


def analyse_texts(items: list[tuple[str, str]], preparer: Preparer | None = None) -> list[Analysis]:
    """``analyse_text`` of each ``(title, body)``: work for a pool."""
    return [analyse_text(title, body, preparer) for title, body in items]


def analyse_chunk(
    records: list[Record], today: dt.date, preparer: Preparer | None = None
) -> list[Analysed | PrepareError]:
    return [analyse(record, today, preparer) for record in records]
