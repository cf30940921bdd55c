"""Publication dates from front matter, the opening of a text, the text or a file name."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from app.models import DatePrecision
from app.text.bylines import is_page_metadata

_FULL = re.compile(
    r"(?<!\d)(?P<y>\d{4})\s*(?:年\s*(?P<m1>\d{1,2})\s*月\s*(?P<d1>\d{1,2})\s*[日号]"
    r"|(?P<sep>[-/.])(?P<m2>\d{1,2})(?P=sep)(?P<d2>\d{1,2})(?!\d))"
)
_MONTH = re.compile(
    r"(?<!\d)(?P<y>\d{4})\s*(?:年\s*(?P<m>\d{1,2})\s*月(?!\s*\d)|-(?P<m2>\d{1,2})(?![-\d]))"
)
_FILE_NAME = re.compile(r"(?<![0-9A-Za-z])(\d{4})[-_.]?(\d{2})[-_.]?(\d{2})(?![0-9A-Za-z])")

MIN_YEAR = 1900
# A commentary's opening: the first few lines, where a letter states its own date.
OPENING_LINES = 3
OPENING_CHARS = 200
# Bylines, datelines and captions at the top do not use up the opening's lines: a news
# page opening with a byline, a caption and its headline still states the byline's date.
MAX_OPENING_METADATA = 8


@dataclass(frozen=True, slots=True)
class DatedAs:
    date: dt.date | None
    precision: DatePrecision


UNDATED = DatedAs(None, DatePrecision.NONE)


def _valid(year: int, month: int, day: int, today: dt.date) -> dt.date | None:
    try:
        value = dt.date(year, month, day)
    except ValueError:
        return None
    if value.year < MIN_YEAR or value > today + dt.timedelta(days=1):
        return None
    return value


# A date a sentence counts from (为2024年8月5日以来最大跌幅, 自2025年1月2日起) or runs up to
# (2025年3月1日之前, 至2025年6月30日) is not the day the text was written. A date the data
# is "as of" (数据截至2025年3月20日) is not stated as that day either, but the text was
# written soon after it, so it may still date the text as inferred.
_AS_OF = re.compile(r"(?:截至|截止)\s*$")
_REFERENCE_BEFORE = re.compile(r"(?:自|从|從|自从|自從|(?<!截)至|到)\s*$")
_REFERENCE_AFTER = re.compile(r"\s*(?:以来|以來|之前|以前|以后|以後|之后|之後|起|开始|開始)")


def _is_reference(text: str, start: int, end: int, *, as_of_counts: bool) -> bool:
    before = max(0, start - 3)
    return bool(
        _REFERENCE_BEFORE.search(text, before, start)
        or _REFERENCE_AFTER.match(text, end)
        or (not as_of_counts and _AS_OF.search(text, before, start))
    )


def full_dates(text: str, today: dt.date, *, as_of_counts: bool = False) -> list[dt.date]:
    """The full dates ``text`` writes, without those a sentence counts from or to, and
    without "as of" dates unless ``as_of_counts``."""
    found = []
    for m in _FULL.finditer(text):
        if _is_reference(text, m.start(), m.end(), as_of_counts=as_of_counts):
            continue
        month, day = (m["m1"], m["d1"]) if m["m1"] else (m["m2"], m["d2"])
        value = _valid(int(m["y"]), int(month), int(day), today)
        if value is not None:
            found.append(value)
    return found


def opening(text: str) -> str:
    """The first ``OPENING_LINES`` lines (at most ``OPENING_CHARS`` of them), after the
    page metadata lines among and above them, which come first since they state the
    page's own date."""
    metadata: list[str] = []
    lines: list[str] = []
    for line in text.splitlines():
        if len(lines) == OPENING_LINES:
            break
        if not line.strip():
            continue
        if len(metadata) < MAX_OPENING_METADATA and is_page_metadata(line):
            metadata.append(line)
        else:
            lines.append(line)
    return "\n".join([*metadata, "\n".join(lines)[:OPENING_CHARS]])


def stated_date(text: str, today: dt.date) -> DatedAs:
    """The date a text states at its opening: a full date (``day``) or a month."""
    head = opening(text)
    stated = full_dates(head, today)
    if stated:
        return DatedAs(stated[0], DatePrecision.DAY)
    month = _MONTH.search(head)
    if month:
        value = _valid(int(month["y"]), int(month["m"] or month["m2"]), 1, today)
        if value is not None:
            return DatedAs(value, DatePrecision.MONTH)
    return UNDATED


def inferred_date(text: str, today: dt.date) -> DatedAs:
    """The latest full date written anywhere in the text, marked ``inferred``."""
    anywhere = full_dates(text, today, as_of_counts=True)
    return DatedAs(max(anywhere), DatePrecision.INFERRED) if anywhere else UNDATED


def date_in_file_name(stem: str, today: dt.date) -> DatedAs:
    for m in _FILE_NAME.finditer(stem):
        value = _valid(int(m[1]), int(m[2]), int(m[3]), today)
        if value is not None:
            return DatedAs(value, DatePrecision.DAY)
    return UNDATED


class BadDate(ValueError):
    pass


def parse_declared(value: object, today: dt.date) -> DatedAs:
    """A date given in front matter or a JSONL field: a date, ``YYYY-MM-DD`` or ``YYYY-MM``."""
    if value is None or value == "":
        return UNDATED
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        checked = _valid(value.year, value.month, value.day, today)
        if checked is None:
            raise BadDate(f"date {value.isoformat()} is out of range ({MIN_YEAR} to today)")
        return DatedAs(checked, DatePrecision.DAY)
    text = str(value).strip()
    try:
        stamp = dt.datetime.fromisoformat(text)
    except ValueError:
        pass
    else:
        return parse_declared(stamp, today)
    full = full_dates(text, today)
    if full and _FULL.fullmatch(text):
        return DatedAs(full[0], DatePrecision.DAY)
    month = _MONTH.fullmatch(text)
    if month:
        checked = _valid(int(month["y"]), int(month["m"] or month["m2"]), 1, today)
        if checked is not None:
            return DatedAs(checked, DatePrecision.MONTH)
    raise BadDate(f"date {text!r} is not a valid date (expected YYYY-MM-DD or YYYY-MM)")
