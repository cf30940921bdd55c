"""The shape of an ``archive inspect`` report (``--json`` prints it as it is)."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict

from app.instruments.trace import Evidence, Reason
from app.models import DatePrecision


class InspectError(ValueError):
    """The input cannot be inspected; the message says why, in one line."""


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True)


class IndexWord(_Frozen):
    position: int  # the word's index among the text's words; a sub-word shares its parent's
    word: str
    start: int  # offsets into the normalised text
    end: int
    subword: bool


class Candidate(_Frozen):
    start: int  # offsets into the normalised text
    end: int
    text: str
    evidence: Evidence
    counted: bool
    # Counted: the rule that gave the listing; refused: why.
    reason: Reason
    symbol: str | None  # counted as, or what the candidate would have meant
    options: list[str]  # every symbol a name may mean
    market: str | None  # the market of its paragraph, else of the whole text
    detail: str


class Mention(_Frozen):
    """A mention as ingest stores it: offsets into the original text."""

    symbol: str
    alias: str
    start: int
    end: int
    paragraph: int
    learned: str


class Expansion(_Frozen):
    """What a query for ``word`` also looks for."""

    word: str
    synonyms: list[str]  # the other words of its regional synonym group
    symbol: str | None  # the instrument it names, whose listings it matches
    listings: list[str]
    names: list[str]  # every name of that instrument, highlighted too


class DateRule(_Frozen):
    rule: str
    date: dt.date | None
    precision: DatePrecision
    used: bool
    note: str = ""


class Metadata(_Frozen):
    title: str
    title_rule: str
    title_line: int | None  # the line of the input the title was taken from, from 1
    date: dt.date | None
    date_precision: DatePrecision
    date_rules: list[DateRule]
    source: str | None
    author: str | None
    declared_tickers: list[str]
    notes: list[str]


class Inspection(_Frozen):
    input: str  # what was inspected: text, a file, or commentary N
    metadata: Metadata
    text: str  # the normalised body: what the index and the extractor read
    words: list[IndexWord]
    candidates: list[Candidate]
    mentions: list[Mention]
    expansions: list[Expansion]
