"""Every candidate mention of a text with the verdict the extractor gave it.

The verdicts come from ``extract`` itself, run with a ``MentionTrace``: the same rules
ingest runs, told to say what they did. This module only adds what makes a verdict
readable: the words a name stood inside, the market around it, why a name waited for a
code.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from app.instruments.dictionary import Dictionary
from app.instruments.evidence import Context
from app.instruments.extract import Found, extract
from app.instruments.trace import MentionTrace, Reason, Verdict
from app.text.normalize import Normalised

Token = tuple[int, str, int, int]  # (position, word, start, end) as ``words`` gives them


@dataclass(frozen=True, slots=True)
class Judged:
    """A candidate's verdict, the text it covers and the market it stands in."""

    verdict: Verdict
    text: str  # the normalised text at ``verdict.start:verdict.end``
    market: str | None  # the market of its paragraph, else of the whole text


@dataclass(frozen=True, slots=True)
class MentionInspection:
    mentions: tuple[Found, ...]  # exactly what ingest stores
    candidates: tuple[Judged, ...]  # every candidate, by position


def _words_over(tokens: Sequence[Token], start: int, end: int) -> str:
    """The index words (not sub-words) that the range ``start:end`` touches."""
    found: list[str] = []
    last = -1
    for pos, word, w_start, w_end in tokens:
        if pos == last:
            continue
        last = pos
        if w_start < end and start < w_end:
            found.append(word)
    return " ".join(found)


def _detail(verdict: Verdict, tokens: Sequence[Token], dictionary: Dictionary, text: str) -> str:
    if verdict.detail:
        return verdict.detail
    if verdict.reason in {Reason.INSIDE_WORD, Reason.NOT_ON_WORD_BOUNDARY}:
        return _words_over(tokens, verdict.start, verdict.end)
    if verdict.reason is Reason.AMBIGUOUS:
        if text in dictionary.marked_ambiguous:
            return "marked ambiguous: counts only with its code"
        return "several companies go by this name"
    return ""


def inspect_mentions(
    text: str, dictionary: Dictionary, normalised: Normalised, tokens: Sequence[Token]
) -> MentionInspection:
    """The mentions ``extract`` finds in ``text`` (with its ``normalised`` form and
    index ``tokens``, as ingest passes them) and the verdict on every candidate."""
    trace = MentionTrace()
    mentions = extract(text, dictionary, normalised=normalised, tokens=tokens, trace=trace)
    context = Context(normalised.text, dictionary)
    judged = []
    for verdict in trace.in_order():
        covered = normalised.text[verdict.start : verdict.end]
        detailed = replace(verdict, detail=_detail(verdict, tokens, dictionary, covered))
        judged.append(Judged(detailed, covered, context.market_at(verdict.start)))
    return MentionInspection(tuple(mentions), tuple(judged))


__all__ = ["Judged", "MentionInspection", "inspect_mentions"]
