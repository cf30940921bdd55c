"""What the archive makes of one text (``archive inspect``): the normalised text, the
words the index stores, every candidate mention with its verdict, what a query for each
word would expand to, and the title and date rules that fired.

Each part comes from the code ingest runs: ``prepare`` cleans the text and finds its
title and date, ``words`` segments the body, ``extract`` (with a trace) weighs the
candidates, and the search planner expands the words. A text given on the command line
reads as a ``.txt`` file holding it would; a stored commentary is read again from the
text its file held.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Sequence
from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session

from app.config import Settings
from app.db import make_engine
from app.ingest.html_text import html_text
from app.ingest.limits import Limits
from app.ingest.prepare import Prepared, PrepareError, date_findings, prepare
from app.ingest.readers import META_FIELDS, Failure, Record, front_matter, read
from app.inspection.model import (
    Candidate,
    DateRule,
    Expansion,
    IndexWord,
    InspectError,
    Inspection,
    Mention,
    Metadata,
)
from app.instruments import Dictionary, Found
from app.instruments.inspection import Judged, inspect_mentions
from app.models import Commentary, TitleSource
from app.search import QueryWord, plan, words
from app.text.normalize import normalise
from app.text.unsafe import Removed, make_safe

# The name a text given on the command line goes by (no date in it, read as a .txt).
TEXT_ORIGIN = Path("text.txt")

_TITLE_RULES = {
    TitleSource.FRONT_MATTER: "front matter",
    TitleSource.IN_TEXT: "a title line in the text",
    TitleSource.DERIVED: "derived from the opening sentence",
}


def _title_line(text: str, prepared: Prepared) -> int | None:
    if prepared.title_source is not TitleSource.IN_TEXT:
        return None
    for number, line in enumerate(text.split("\n"), start=1):
        if prepared.title in " ".join(line.split()):
            return number
    return None


def _date_rules(record: Record, prepared: Prepared, today: dt.date) -> list[DateRule]:
    """What each date rule finds, in the order ``prepare`` trusts them; the one that
    dated the commentary is marked used."""
    text = make_safe(record.text, Removed())
    return [
        DateRule(
            rule=found.rule,
            date=found.dated.date,
            precision=found.dated.precision,
            used=found.rule == prepared.date_rule,
            note=found.note,
        )
        for found in date_findings(record, text, today)
    ]


def _metadata(record: Record, prepared: Prepared, today: dt.date) -> Metadata:
    return Metadata(
        title=prepared.title,
        title_rule=_TITLE_RULES[prepared.title_source],
        title_line=_title_line(record.text, prepared),
        date=prepared.published,
        date_precision=prepared.date_precision,
        date_rules=_date_rules(record, prepared, today),
        source=prepared.source,
        author=prepared.author,
        declared_tickers=[t for t in prepared.declared_tickers.split(",") if t],
        notes=list(prepared.notes),
    )


def _candidate(judged: Judged) -> Candidate:
    verdict = judged.verdict
    return Candidate(
        start=verdict.start,
        end=verdict.end,
        text=judged.text,
        evidence=verdict.evidence,
        counted=verdict.counted,
        reason=verdict.reason,
        symbol=verdict.symbol,
        options=list(verdict.options),
        market=judged.market,
        detail=verdict.detail,
    )


def _mention(found: Found) -> Mention:
    return Mention(
        symbol=found.symbol,
        alias=found.alias,
        start=found.start,
        end=found.end,
        paragraph=found.paragraph,
        learned=found.learned,
    )


def expansions(written: Iterable[str], dictionary: Dictionary) -> list[Expansion]:
    """What a query for each of the ``written`` words (each once, in order) expands to,
    as the search planner expands it; only the words it expands at all."""
    found: list[Expansion] = []
    for word in dict.fromkeys(written):
        planned = plan(QueryWord(word), dictionary)
        synonyms = [s for typed, others in planned.synonyms if typed == word for s in others]
        named = next((n for typed, n in planned.expanded if typed == word), None)
        if not synonyms and named is None:
            continue
        found.append(
            Expansion(
                word=word,
                synonyms=synonyms,
                symbol=named.symbol if named is not None else None,
                listings=list(named.symbols) if named is not None else [],
                names=list(named.names) if named is not None else [],
            )
        )
    return found


def _index_words(tokens: Sequence[tuple[int, str, int, int]]) -> list[IndexWord]:
    found = []
    last = -1
    for pos, word, start, end in tokens:
        found.append(IndexWord(position=pos, word=word, start=start, end=end, subword=pos == last))
        last = pos
    return found


def inspect_record(record: Record, dictionary: Dictionary, today: dt.date) -> Inspection:
    """The inspection of one record, analysed as ingest analyses it. Raises
    ``InspectError`` when ``prepare`` leaves nothing to store."""
    try:
        prepared = prepare(record, today)
    except PrepareError as exc:
        raise InspectError(f"{record.label}: {exc}") from None
    body = prepared.body
    normalised = normalise(body)
    tokens = list(words(normalised.text, subwords=True))
    judged = inspect_mentions(body, dictionary, normalised, tokens)
    return Inspection(
        input=record.label,
        metadata=_metadata(record, prepared, today),
        text=normalised.text,
        words=_index_words(tokens),
        candidates=[_candidate(j) for j in judged.candidates],
        mentions=[_mention(f) for f in judged.mentions],
        expansions=expansions((normalised.text[s:e] for _, _, s, e in tokens), dictionary),
    )


def record_of(raw: str, origin: Path, label: str) -> Record:
    """The record a file named ``origin`` holding ``raw`` reads as (for JSON Lines, one
    line); ``InspectError`` when it holds none."""
    meta: dict[str, object] = {}
    try:
        suffix = origin.suffix.lower()
        if suffix == ".jsonl":
            item = json.loads(raw)
            body = item.get("body") if isinstance(item, dict) else None
            if not isinstance(body, str) or not body.strip():
                raise ValueError('missing "body" text')
            text = body.replace("\r\n", "\n").replace("\r", "\n")
            meta = {k: item[k] for k in META_FIELDS if item.get(k) not in (None, "")}
        elif suffix in {".html", ".htm"}:
            text, meta = html_text(raw)
        else:
            text, meta = front_matter(raw)
    except ValueError as exc:  # JSONDecodeError is one
        raise InspectError(f"{label}: {exc}") from None
    return Record(label, origin, label, "", raw, text, "utf-8", meta)


def inspect_text(text: str, dictionary: Dictionary, today: dt.date) -> Inspection:
    """A text given as it is, read as a ``.txt`` file holding it would be."""
    return inspect_record(record_of(text, TEXT_ORIGIN, "text"), dictionary, today)


def inspect_file(path: Path, dictionary: Dictionary, today: dt.date, limits: Limits) -> Inspection:
    """The one commentary file ``path`` holds, read as ingest reads it."""
    records = list(read(path, limits))
    if not records:
        raise InspectError(f"{path} holds no commentary")
    if len(records) > 1:
        raise InspectError(
            f"{path} holds {len(records)} commentaries: ingest it and inspect one with --id"
        )
    (record,) = records
    if isinstance(record, Failure):
        raise InspectError(f"{record.label}: {record.reason}")
    return inspect_record(record, dictionary, today)


def inspect_commentary(
    settings: Settings, commentary_id: int, dictionary: Dictionary, today: dt.date
) -> Inspection:
    """A stored commentary, analysed again from the text its file held."""
    engine = make_engine(settings, read_only=True)
    try:
        with Session(engine) as session:
            stored = session.get(Commentary, commentary_id)
            if stored is None:
                raise InspectError(f"no commentary has id {commentary_id}")
            raw, origin = stored.raw_text, Path(stored.origin_path)
    except SQLAlchemyError as exc:
        cause = str(getattr(exc, "orig", None) or exc).splitlines()[0]
        raise InspectError(f"cannot read the database: {cause}") from None
    finally:
        engine.dispose()
    return inspect_record(record_of(raw, origin, f"commentary {commentary_id}"), dictionary, today)
