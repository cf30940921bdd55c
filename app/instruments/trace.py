"""Why each candidate mention of one text was counted or refused.

The extractor takes an optional ``MentionTrace`` and tells it, at the very places its
rules decide, what it did with each candidate; without one (ingest) it does nothing
more than before. ``app.instruments.inspection`` turns a trace into the report that
``archive inspect`` prints.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the extractor's modules import this one
    from app.instruments.evidence import Candidate


class Evidence(StrEnum):
    """What made a stretch of text a candidate."""

    EXPLICIT = "explicit"  # $NVDA$, NVDA.US, 00700.HK, SH600519
    NAME = "name"  # a name from the dictionary
    BARE_SYMBOL = "bare symbol"  # NVDA written alone
    NAME_WITH_CODE = "name with code"  # 博通(AVGO), 超微(AMD)
    LEARNED_CODE = "learned code"  # a name the dictionary lacks, with its code
    LEARNED_NAME = "learned name"  # that name again, later in the text
    CODE = "code"  # a code in brackets that found no name or listing


class Reason(StrEnum):
    """Why a candidate was counted (with the rule that gave its listing) or refused."""

    # Counted: the listing comes from ...
    WRITTEN = "written symbol or code"  # the symbol or code itself
    SHARE_CLASS = "share class"  # 中芯H股, 台积电ADR
    PARAGRAPH_MARKET = "paragraph market"  # the market its paragraph is about
    CODED_ELSEWHERE = "coded elsewhere"  # the listing the text wrote a code for
    TEXT_MARKET = "text market"  # the market of the whole text
    PRIMARY = "primary listing"  # nothing said which: the issuer's primary listing
    # Refused.
    STOP_LIST = "stop list"
    UNKNOWN_SYMBOL = "unknown symbol"
    UNKNOWN_CODE = "unknown code"
    NOT_ON_WORD_BOUNDARY = "not on a word boundary"
    INSIDE_WORD = "inside a longer word"
    INSIDE_ORGANISATION = "inside an organisation's name"
    INSIDE_OUTLET = "inside an outlet's name"
    AMBIGUOUS = "ambiguous"
    EVERYDAY_NAME = "everyday name without evidence"
    WORDLIKE = "word-like symbol not among tickers"
    OVERLAPPED = "overlapped by a stronger candidate"
    JOINED = "one mention with its code"
    CODE_NOT_FOR_NAME = "code not for this name"
    NO_NAME = "no name before the code"
    NAME_INSIDE = "a known name inside it"
    ACRONYM = "acronym spelled out"
    YEAR_OR_NUMBER = "a number, not a code"
    NOT_IN_MARKET = "no listing of this market has the number"


# How a needy candidate (an everyday name, a word-like symbol) earned its place.
NAMED_PLAINLY = "named plainly elsewhere"
STOCK_WORD = "a stock word next to it"
IN_A_LIST = "among other tickers"


@dataclass(frozen=True, slots=True)
class Verdict:
    """One candidate and what became of it; offsets index the normalised text."""

    start: int
    end: int
    evidence: Evidence
    counted: bool
    reason: Reason
    symbol: str | None = None  # counted as, or what the candidate would have meant
    options: tuple[str, ...] = ()  # every symbol a name may mean
    # What else the verdict rests on: the candidate it lost to, the evidence an
    # everyday name had, the code that was not a listing.
    detail: str = ""


class MentionTrace:
    """Collects a ``Verdict`` for every candidate of one ``extract`` call."""

    def __init__(self) -> None:
        self.verdicts: list[Verdict] = []
        # Candidates by identity, kept alive so that no id is reused meanwhile.
        self._evidence: dict[int, tuple[Candidate, Evidence]] = {}
        self._support: dict[int, str] = {}

    # Candidates as they are proposed.

    def offered(self, candidates: list[Candidate], evidence: Evidence) -> None:
        for candidate in candidates:
            self._evidence[id(candidate)] = (candidate, evidence)

    def evidence(self, candidate: Candidate) -> Evidence:
        return self._evidence[id(candidate)][1]

    # Verdicts.

    def refused_span(
        self,
        start: int,
        end: int,
        evidence: Evidence,
        reason: Reason,
        symbol: str | None = None,
        options: tuple[str, ...] = (),
        detail: str = "",
    ) -> None:
        """A stretch of text refused before it became a candidate. A name that means one
        instrument only is refused as that instrument."""
        if symbol is None and len(options) == 1:
            symbol = options[0]
        self.verdicts.append(Verdict(start, end, evidence, False, reason, symbol, options, detail))

    def refused(self, candidate: Candidate, reason: Reason, detail: str = "") -> None:
        self.verdicts.append(
            Verdict(
                candidate.start,
                candidate.end,
                self.evidence(candidate),
                False,
                reason,
                candidate.symbol,
                candidate.options,
                detail,
            )
        )

    def overlapped(self, candidate: Candidate, taken: list[Candidate], text: str) -> None:
        """``candidate`` overlaps one of ``taken``, which outranked it."""
        winner = next(t for t in taken if t.start < candidate.end and candidate.start < t.end)
        detail = f"{text[winner.start : winner.end]} ({self.evidence(winner)})"
        self.refused(candidate, Reason.OVERLAPPED, detail)

    def joined(self, name: Candidate, code: Candidate, merged: Candidate, text: str) -> None:
        """``name`` written right before its own ``code`` became the one mention ``merged``."""
        self._evidence[id(merged)] = (merged, self.evidence(code))
        self.refused(name, Reason.JOINED, text[code.start : code.end])

    def supported(self, candidate: Candidate, how: str) -> None:
        """An everyday name or word-like symbol had the evidence it needs."""
        self._support[id(candidate)] = how

    def counted(self, candidate: Candidate, listed: Candidate, reason: Reason) -> None:
        """``candidate`` counts, as ``listed.symbol`` by the rule ``reason``."""
        self.verdicts.append(
            Verdict(
                candidate.start,
                candidate.end,
                self.evidence(candidate),
                True,
                reason,
                listed.symbol,
                candidate.options,
                self._support.get(id(candidate), ""),
            )
        )

    def in_order(self) -> list[Verdict]:
        """The verdicts by position in the text, the longest first where two start alike."""
        return sorted(self.verdicts, key=lambda v: (v.start, -v.end, not v.counted))
