"""Turn a record into the fields of a commentary: clean body, title, date and people."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from app.ingest.readers import Record
from app.models import DatePrecision, TitleSource
from app.text.boilerplate import strip_trailing_boilerplate
from app.text.bylines import byline_outlet
from app.text.dates import (
    UNDATED,
    BadDate,
    DatedAs,
    date_in_file_name,
    inferred_date,
    parse_declared,
    stated_date,
)
from app.text.normalize import fold
from app.text.titles import ELLIPSIS, derive_title, find_title, skip_leading_metadata
from app.text.unsafe import Removed, make_safe

MAX_TITLE_CHARS = 200
MAX_META_CHARS = 200
BYLINE_LINES = 5  # a byline stands among the first lines
_SYMBOL = re.compile(r"^[A-Z0-9][A-Z0-9.\-^]{0,19}$")
_BYLINE = re.compile(
    r"^\s*(?P<label>作者|來源|来源|出处|出處)\s*[:：]\s*(?P<value>\S[^\n]{0,29})\s*$"
)


class PrepareError(ValueError):
    """The record has nothing this archive can store; the message says why."""


@dataclass(frozen=True, slots=True)
class Prepared:
    title: str
    title_source: TitleSource
    body: str
    content_hash: str
    published: dt.date | None
    date_precision: DatePrecision
    source: str | None
    author: str | None
    url: str | None
    declared_tickers: str
    notes: tuple[str, ...] = ()  # what was changed or left out, for the ingest report
    date_rule: str | None = None  # the rule of ``date_findings`` that dated it


def _text(value: Any, removed: Removed, limit: int | None = MAX_META_CHARS) -> str | None:
    if value is None:
        return None
    text = " ".join(make_safe(str(value), removed).split())
    return text[:limit] or None


def _title(title: str, notes: list[str]) -> str:
    if len(title) <= MAX_TITLE_CHARS:
        return title
    notes.append(f"title cut to {MAX_TITLE_CHARS} characters (it had {len(title):,})")
    return title[: MAX_TITLE_CHARS - 1] + ELLIPSIS


def _tickers(value: Any, removed: Removed) -> str:
    items = value if isinstance(value, list) else str(value or "").split(",")
    symbols = {make_safe(str(item), removed).strip().upper().lstrip("$") for item in items}
    bad = sorted(s for s in symbols if s and not _SYMBOL.match(s))
    if bad:
        raise PrepareError(f"tickers {', '.join(bad)} are not symbols")
    return ",".join(sorted(s for s in symbols if s))


@dataclass(frozen=True, slots=True)
class DateFinding:
    """What one date rule finds in a record."""

    rule: str
    dated: DatedAs
    note: str = ""  # why a date given was not used


def date_findings(record: Record, text: str, today: dt.date) -> Iterator[DateFinding]:
    """Each date rule's finding, in the order they are trusted (the first with a date
    wins): the declared date, one stated in the text, in the file name, or inferred
    from the text. The text is folded only when a rule after the first is asked."""
    try:
        yield DateFinding("front matter", parse_declared(record.meta.get("date"), today))
    except BadDate as exc:
        yield DateFinding("front matter", UNDATED, f"{exc}; ignored")
    whole = fold(text)
    yield DateFinding("stated at the opening", stated_date(whole, today))
    yield DateFinding("in the file name", date_in_file_name(record.path.stem, today))
    yield DateFinding("latest full date in the text", inferred_date(whole, today))


def _date(record: Record, text: str, today: dt.date, notes: list[str]) -> DateFinding | None:
    for found in date_findings(record, text, today):
        if found.note:
            notes.append(found.note)
        if found.dated.precision is not DatePrecision.NONE:
            return found
    return None


def _byline(lines: list[str], label: set[str]) -> str | None:
    for line in lines[:BYLINE_LINES]:
        found = _BYLINE.match(line)
        if found and found["label"] in label:
            return found["value"].strip()
    return None


def _outlet(lines: list[str]) -> str | None:
    """The news outlet a byline at the top names (经济日报 in "经济日报/ 记者…")."""
    for line in lines[:BYLINE_LINES]:
        if outlet := byline_outlet(line):
            return outlet
    return None


def prepare(record: Record, today: dt.date) -> Prepared:
    removed = Removed()
    notes = list(record.notes)
    text = make_safe(record.text, removed)
    lines = strip_trailing_boilerplate(text.split("\n"))
    declared_title = _text(record.meta.get("title"), removed, limit=None)
    if declared_title:
        title, title_source = declared_title, TitleSource.FRONT_MATTER
    elif found := find_title(lines):
        title, title_source, lines = found.title, found.source, found.lines
    else:
        title, title_source = "", TitleSource.DERIVED
    body = "\n".join(line.rstrip() for line in lines).strip("\n")
    if not body.strip():
        raise PrepareError("no text left after removing boilerplate")
    if title_source is TitleSource.DERIVED:
        # from the prose, not from a byline or dateline above it
        title = derive_title(skip_leading_metadata(body))
    title = _title(title, notes)
    folded = fold(body).strip()
    found_date = _date(record, text, today, notes)
    dated = found_date.dated if found_date is not None else UNDATED
    source = _text(record.meta.get("source"), removed)
    author = _text(record.meta.get("author"), removed)
    url = _text(record.meta.get("url"), removed, 2000)
    return Prepared(
        title=title,
        title_source=title_source,
        body=body,
        content_hash=hashlib.sha256(folded.encode("utf-8")).hexdigest(),
        published=dated.date,
        date_precision=dated.precision,
        source=source or _byline(lines, {"来源", "來源", "出处", "出處"}) or _outlet(lines),
        author=author or _byline(lines, {"作者"}),
        url=url,
        declared_tickers=_tickers(record.meta.get("tickers"), removed),
        notes=(*notes, *removed.notes()),
        date_rule=found_date.rule if found_date is not None else None,
    )
