"""Find the instruments a commentary mentions, with offsets into its original text.

Matching runs on the normalised text (full-width folded, traditional to simplified) and
maps back through the offset map. Evidence, strongest first:

1. explicit forms: ``$NVDA$``, ``$英伟达(NVDA)$``, ``NVDA.US``, ``US.NVDA``, ``NVDA-US``,
   ``00700.HK``, ``SH600519``, ``(沪:688981)``, and a name followed by its code,
   ``博通(AVGO)``, ``领展(00823)``: the code settles an ambiguous name (超微(AMD)), and a
   name the dictionary lacks is learned from its code for the rest of the commentary;
2. names from the dictionary: Chinese ones on jieba word boundaries (阿里 inside 阿里山
   does not count), Latin ones case-sensitively as whole words (Meta, not
   meta-analysis); ambiguous names never on their own; everyday names from the exchange
   lists (统一, 平安) only with evidence (``evidence``);
3. bare upper-case symbols that the dictionary knows and the stop list does not hold;
   those that read as words (APP, ON) only as a ticker among tickers.

A name means a company; its listing comes from the market the text is about
(``listing``).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache

import ahocorasick

from app.instruments.dictionary import Dictionary, active
from app.instruments.evidence import (
    ALIAS,
    BARE,
    EXPLICIT,
    Candidate,
    Context,
    choose,
    confirm,
)
from app.instruments.learned import coded_names
from app.instruments.trace import Evidence, MentionTrace, Reason
from app.search import words
from app.text.normalize import Normalised, normalise

_SYMBOLISH = r"[A-Z][A-Z0-9]{0,5}(?:[.\-][A-Z])?"
_EXPLICIT = [
    re.compile(r"\$(?P<name>[^\s$()]{1,30}?)\((?P<code>[A-Za-z0-9.\-]{1,12})\)\$"),
    re.compile(rf"(?<![A-Za-z0-9])\$(?P<code>{_SYMBOLISH})\$?(?![A-Za-z0-9])"),
    re.compile(rf"(?<![A-Za-z0-9.\-])(?P<code>{_SYMBOLISH})[.\-]US(?![A-Za-z0-9])"),
    re.compile(rf"(?<![A-Za-z0-9.\-])US\.(?P<code>{_SYMBOLISH})(?![A-Za-z0-9])"),
    re.compile(r"(?<![A-Za-z0-9.])(?P<code>\d{3,5}\.HK)(?![A-Za-z0-9])"),
    re.compile(r"(?<![A-Za-z0-9.])(?P<code>(?:SH|SZ|BJ)\.?\d{6}|HK\.\d{4,5})(?![0-9])"),
    re.compile(r"(?<![A-Za-z0-9.])(?P<code>\d{6}\.(?:SH|SS|SZ|BJ|KS|KQ))(?![A-Za-z0-9])"),
    re.compile(r"(?<![A-Za-z0-9.])(?P<code>\d{4}[.\-](?:T|TW|TWO))(?![A-Za-z0-9])"),
]
_BARE = re.compile(rf"(?<![A-Za-z0-9.$\-])(?P<code>{_SYMBOLISH})(?![A-Za-z0-9]|-[A-Za-z0-9])")


@dataclass(frozen=True, slots=True)
class Found:
    symbol: str
    alias: str  # as written in the original text
    start: int  # offsets into the original text
    end: int
    paragraph: int  # index among the non-empty lines, from 0
    # The name as written, when the instrument was learned from the code next to it.
    learned: str = ""


@lru_cache(maxsize=4)
def _automaton(dictionary: Dictionary) -> ahocorasick.Automaton:
    automaton = ahocorasick.Automaton()
    for alias in dictionary.aliases:
        automaton.add_word(alias, alias)
    automaton.make_automaton()
    return automaton


def _is_latin(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def _word_bounds(tokens: Iterable[tuple[int, str, int, int]]) -> set[int]:
    """Where the index's words start and end (sub-words, which share their parent's
    position, add none)."""
    bounds: set[int] = set()
    last = -1
    for pos, _, start, end in tokens:
        if pos != last:
            bounds.add(start)
            bounds.add(end)
            last = pos
    return bounds


def _continues_latin(text: str, i: int, step: int) -> bool:
    """Whether position ``i`` carries on a Latin word: a letter or digit, or a joiner
    (``-`` or ``.``) with one right behind it (Meta-analysis, Meta.ai)."""
    if not 0 <= i < len(text):
        return False
    if _is_latin(text[i]):
        return True
    j = i + step
    return text[i] in "-." and 0 <= j < len(text) and _is_latin(text[j])


def _misfit(text: str, start: int, end: int, bounds: set[int]) -> Reason | None:
    """Why a name at ``start:end`` does not stand as a word of its own, or None when it
    does. A Latin edge must not run into a longer word; a Chinese edge must fall on a
    jieba word boundary, so a name inside a longer different word does not count."""
    if _is_latin(text[start]):
        if _continues_latin(text, start - 1, -1):
            return Reason.NOT_ON_WORD_BOUNDARY
    elif start not in bounds:
        return Reason.INSIDE_WORD
    if _is_latin(text[end - 1]):
        return Reason.NOT_ON_WORD_BOUNDARY if _continues_latin(text, end, 1) else None
    return None if end in bounds else Reason.INSIDE_WORD


# An index or a commodity named inside an organisation's name (恒生指数有限公司, a gold
# group), and a company's name inside a news outlet's (智通财经), are not mentions.
_ORGANISATION = re.compile(r"(?:有限公司|公司|集团|控股)")
_OUTLET = re.compile(r"(?:财经|日报|晚报|新闻|周刊|网)")
_NOT_COMPANIES = frozenset({"index", "commodity", "crypto"})


def _inside_name(
    text: str, end: int, symbol: str, dictionary: Dictionary, bounds: set[int]
) -> Reason | None:
    """Whether the name ending at ``end`` begins an organisation's or an outlet's name."""
    if dictionary.by_symbol[symbol].kind in _NOT_COMPANIES:
        return Reason.INSIDE_ORGANISATION if _ORGANISATION.match(text, end) else None
    # 智通财经 is an outlet; 英伟达网络 (its networking business) is not 英伟达网.
    outlet = _OUTLET.match(text, end)
    return Reason.INSIDE_OUTLET if outlet is not None and outlet.end() in bounds else None


def _aliases(
    text: str,
    dictionary: Dictionary,
    bounds: set[int],
    context: Context,
    trace: MentionTrace | None,
) -> Iterator[Candidate]:
    """Names on word boundaries. A name several companies share means the one of the
    market the text is about, if only one of them trades there; a name marked
    ambiguous waits for a code."""
    for last, alias in _automaton(dictionary).iter(text):
        start, end = last - len(alias) + 1, last + 1
        misfit = _misfit(text, start, end, bounds)
        if misfit is not None:
            if trace is not None:
                options = dictionary.aliases[alias]
                trace.refused_span(start, end, Evidence.NAME, misfit, options=options)
            continue
        symbols = dictionary.aliases[alias]
        inside = _inside_name(text, end, symbols[0], dictionary, bounds)
        if inside is not None:
            if trace is not None:
                trace.refused_span(start, end, Evidence.NAME, inside, options=symbols)
            continue
        symbol: str | None = symbols[0]
        if alias in dictionary.marked_ambiguous:
            symbol = None
        elif alias in dictionary.ambiguous_aliases:
            symbol = dictionary.only_in(symbols, context.market_at(start))
        weak = alias in dictionary.weak_aliases
        yield Candidate(start, end, symbol, ALIAS, symbols, weak=weak)


def _explicit(text: str, dictionary: Dictionary, trace: MentionTrace | None) -> Iterator[Candidate]:
    for pattern in _EXPLICIT:
        for match in pattern.finditer(text):
            symbol = dictionary.resolve(match["code"])
            if symbol is not None:
                yield Candidate(match.start(), match.end(), symbol, EXPLICIT)
            elif trace is not None:
                trace.refused_span(
                    *match.span(), Evidence.EXPLICIT, Reason.UNKNOWN_CODE, detail=match["code"]
                )


def _bare(text: str, dictionary: Dictionary, trace: MentionTrace | None) -> Iterator[Candidate]:
    for match in _BARE.finditer(text):
        # BRK-B is how some sites write BRK.B.
        code = match["code"].replace("-", ".")
        if code in dictionary.by_symbol and code not in dictionary.stop_words:
            yield Candidate(
                match.start(), match.end(), code, BARE, wordlike=code in dictionary.wordlike
            )
        elif trace is not None:
            stopped = code in dictionary.stop_words
            reason = Reason.STOP_LIST if stopped else Reason.UNKNOWN_SYMBOL
            symbol = code if code in dictionary.by_symbol else None
            trace.refused_span(*match.span(), Evidence.BARE_SYMBOL, reason, symbol)


def _paragraph_starts(text: str) -> list[int]:
    starts, pos = [], 0
    for line in text.split("\n"):
        if line.strip():
            starts.append(pos)
        pos += len(line) + 1
    return starts


def _offer(
    trace: MentionTrace,
    names: list[Candidate],
    explicit: list[Candidate],
    bare: list[Candidate],
    coded: list[Candidate],
) -> None:
    trace.offered(names, Evidence.NAME)
    trace.offered(explicit, Evidence.EXPLICIT)
    trace.offered(bare, Evidence.BARE_SYMBOL)
    for candidate in coded:
        if not candidate.learned_end:
            evidence = Evidence.NAME_WITH_CODE
        elif candidate.strength == EXPLICIT:
            evidence = Evidence.LEARNED_CODE
        else:
            evidence = Evidence.LEARNED_NAME
        trace.offered([candidate], evidence)


def candidates(
    folded: str,
    dictionary: Dictionary,
    tokens: Iterable[tuple[int, str, int, int]],
    trace: MentionTrace | None = None,
) -> list[Candidate]:
    """Every mention of ``folded`` (normalised text) that survives the evidence rules;
    ``trace``, if given, is told what became of every candidate."""
    bounds = _word_bounds(tokens)
    context = Context(folded, dictionary)
    names = list(_aliases(folded, dictionary, bounds, context, trace))
    explicit = list(_explicit(folded, dictionary, trace))
    bare = list(_bare(folded, dictionary, trace))
    coded = list(coded_names(folded, dictionary, context, names, bounds, trace))
    if trace is not None:
        _offer(trace, names, explicit, bare, coded)
    found = [*names, *explicit, *bare, *coded]
    return confirm(context, choose(folded, found, dictionary, trace), trace)


def extract(
    text: str,
    dictionary: Dictionary | None = None,
    *,
    normalised: Normalised | None = None,
    tokens: Iterable[tuple[int, str, int, int]] | None = None,
    trace: MentionTrace | None = None,
) -> list[Found]:
    """Mentions in ``text``. Ingest passes the ``normalised`` text and its index
    ``tokens`` (``words`` over it) so the text is segmented only once; ``trace``
    collects why each candidate was counted or refused (``archive inspect``)."""
    dictionary = dictionary or active()
    normalised = normalised or normalise(text)
    folded = normalised.text
    chosen = candidates(folded, dictionary, tokens if tokens is not None else words(folded), trace)
    paragraphs = _paragraph_starts(text)
    found = []
    for candidate in chosen:
        assert candidate.symbol is not None
        start, end = normalised.span(candidate.start, candidate.end)
        paragraph = max(0, bisect_right(paragraphs, start) - 1)
        learned = ""
        if candidate.learned_end:
            learned = text[slice(*normalised.span(candidate.start, candidate.learned_end))]
        found.append(Found(candidate.symbol, text[start:end], start, end, paragraph, learned))
    return found


__all__ = ["Found", "candidates", "extract"]
