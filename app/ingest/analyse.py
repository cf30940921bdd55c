"""The CPU-heavy half of ingest, run in worker processes (``app.parallel``).

Each record is cleaned (title, date, boilerplate), its body normalised and segmented
once, and those words serve both mention extraction and the index terms. The main
process keeps the database and index writes, which must happen in one place.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from app.ingest.prepare import Prepared, PrepareError, prepare
from app.ingest.readers import Record
from app.instruments import Found, active, extract
from app.search import DocumentTerms, body_terms, title_terms, words
from app.text.normalize import normalise


@dataclass(frozen=True, slots=True)
class Analysed:
    prepared: Prepared
    mentions: tuple[Found, ...]
    terms: DocumentTerms


def analyse(record: Record, today: dt.date) -> Analysed | PrepareError:
    """Clean ``record``, find its mentions and its index terms; a record with nothing
    to store comes back as the ``PrepareError`` that says why."""
    try:
        prepared = prepare(record, today)
    except PrepareError as exc:
        return exc
    body = prepared.body
    normalised = normalise(body)
    tokens = list(words(normalised.text, subwords=True))
    mentions = extract(body, active(), normalised=normalised, tokens=tokens)
    # normalised.text is fold(body): the index reads the same words.
    terms = DocumentTerms(title_terms(prepared.title), body_terms(tokens))
    return Analysed(prepared, tuple(mentions), terms)


def analyse_chunk(records: list[Record], today: dt.date) -> list[Analysed | PrepareError]:
    return [analyse(record, today) for record in records]
