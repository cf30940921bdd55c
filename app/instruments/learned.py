"""Names written with their exchange code: ``领展(00823)``, ``力积电(6770)``,
``中芯国际(沪:688981)``, ``博通(AVGO)``, ``台积电(NYSE: TSM)``.

The code is the evidence. A name the dictionary knows is settled by it (超微(AMD)); a
name it lacks still counts when its code names a listing, and when the code names none
of ours the instrument is learned: the listing comes from the code and the market
around it, and later mentions of that exact name in the same commentary count too.

A number in brackets is often not a code at all (奥运会(2024), 区号(0755)), so a bare
four-digit number counts only in a paragraph about the market it trades in, never when
it reads as a year, and an unknown six-digit number only with an A-share prefix.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from app.instruments.dictionary import Dictionary, a_share_suffix, hk_symbol, number_key
from app.instruments.evidence import ALIAS, EXPLICIT, Candidate, Context
from app.instruments.markets import CN, HK, KR, SUFFIX_OF_MARKET, market_of_symbol
from app.instruments.trace import Evidence, MentionTrace, Reason

# Text is folded first, so （ ） ： are already ( ) :, and 滬 is 沪.
_CODED = re.compile(
    r"""\(\s*
    (?: (?P<market>沪|深|港|京|上证|深证|SH|SZ|HK|BJ)\s*[:.]?\s*
      | (?:NYSE|NASDAQ|纽交所|纳斯达克|股票代码|证券代码|股份代号|代码|代号)\s*:\s*
    )?
    (?P<code>
        \d{3,5}[.\-]HK
      | \d{4,6}(?:[.\-](?:SH|SS|SZ|BJ|TW|TWO|T|KS|KQ))?
      | [A-Z]{1,5}(?:[.\-][A-Z]{1,2})?
    )
    \s*\)""",
    re.VERBOSE,
)
_MARKET_SUFFIX = {"沪": "SS", "上证": "SS", "SH": "SS", "深": "SZ", "深证": "SZ", "SZ": "SZ"}
_MARKET_SUFFIX |= {"港": "HK", "HK": "HK", "京": "BJ", "BJ": "BJ"}
_NAME_CHAR = re.compile(r"[\u3400-\u9fff\U00020000-\U0003ffffA-Za-z0-9\-*]")
_CJK = re.compile(r"[\u3400-\u9fff\U00020000-\U0003ffff]")
# What comes before a company name but is not part of it: verbs, particles, and the
# words of a sentence about buying, holding or ranking it.
_NOT_NAME = re.compile(
    r"""^(?:如|及|和|与|或|等|由|向)
    | 买入|卖出|增持|减持|加仓|减仓|持有|包括|例如|其中|旗下|以及|资金|方面|表示|宣布|公布
    | 认为|指出|显示|今日|今天|昨日|昨天|本周|龙头|个股|该股|股票|板块""",
    re.VERBOSE,
)
_NOT_IN_NAME = set("的了在是把被从对将为，,。")
MAX_NAME = 8
MIN_NAME = 2
# A four-digit number in this range reads as a year first: 奥运会(2024).
_YEARS = range(1900, 2100)
# Six-digit mainland codes begin so: Shanghai shares 60/68/90 and funds 50-58, Shenzhen
# shares 00/20/30 and funds 15-18, Beijing 4/8/92.
_A_SHARE_CODE = re.compile(r"(?:60|68|90|5[0-8]|00|20|30|1[5-8]|4\d|8\d|92)\d{4}")
# What may stand between a known name and its code: 中芯国际A股(688981.SH), 寒武纪-U(688256).
_CLASS_GAP = re.compile(r"\s*(?:[ABH]股|-[A-Z]{1,2}|股份)?\s*")


def _name_start(text: str, end: int, bounds: set[int]) -> int | None:
    """Where the name right before ``end`` starts: the longest stretch of name
    characters that begins on a word boundary and not with a verb or particle."""
    start = end
    while start > 0 and end - start < MAX_NAME and _NAME_CHAR.match(text[start - 1]):
        start -= 1
    # A stretch cut by MAX_NAME starts mid-word; one that reached a non-name character
    # starts a word.
    whole = start == 0 or not _NAME_CHAR.match(text[start - 1])
    for begin in range(start, end - MIN_NAME + 1):
        if not (begin in bounds or (begin == start and whole)):
            continue
        name = text[begin:end]
        if _NOT_NAME.search(name) or _NOT_IN_NAME & set(name):
            continue
        return begin
    return None


def _unknown_listing(code: str, market_word: str | None, market: str | None) -> str | None:
    """The symbol a code the dictionary lacks would have, from its form and market."""
    head, _, suffix = code.replace("-", ".").partition(".")
    if not suffix and market_word is not None:
        suffix = _MARKET_SUFFIX[market_word]
    if suffix:
        suffix = "SS" if suffix == "SH" else suffix
        return hk_symbol(head) if suffix == "HK" else f"{head}.{suffix}"
    if len(head) == 6:
        if market == KR:
            return f"{head}.KS"
        return f"{head}.{a_share_suffix(head)}" if _A_SHARE_CODE.fullmatch(head) else None
    if len(head) == 5 and head.startswith("0"):
        return hk_symbol(head)
    if len(head) == 4 and market is not None and market in SUFFIX_OF_MARKET:
        return f"{head}.{SUFFIX_OF_MARKET[market]}"
    return None


def _known(
    dictionary: Dictionary, code: str, market_word: str | None, hints: tuple[str, ...]
) -> str | None:
    if market_word is not None and code.isdigit():
        code = f"{code}.{_MARKET_SUFFIX[market_word]}"
    return dictionary.resolve(code, hints)


def _market_listings(dictionary: Dictionary, code: str, market: str | None) -> tuple[str, ...]:
    if market is None or not code.isdigit():
        return ()
    listed = dictionary.by_number.get(number_key(code), ())
    return tuple(s for s in listed if market_of_symbol(s) == market)


def _plain_number(code: str, market_word: str | None, market: str | None) -> bool:
    """A bare four-digit number with nothing to say it is a code where it stands."""
    if market_word is not None or not code.isdigit() or len(code) != 4:
        return False
    return int(code) in _YEARS or market is None


def _name_before(text: str, names: list[Candidate], paren: int) -> Candidate | None:
    """A known name that ends a share class or status mark before ``paren``."""
    for name in names:
        if name.end < paren and _CLASS_GAP.fullmatch(text, name.end, paren):
            return name
    return None


def _stands_alone(text: str, start: int, end: int, bounds: set[int]) -> bool:
    """Whether a learned name at ``start:end`` is a word of its own, not part of a longer
    one (光宝 in 光宝科技)."""
    before = start == 0 or start in bounds or not _CJK.match(text[start - 1])
    after = end == len(text) or end in bounds or not _CJK.match(text[end])
    return before and after


def _not_a_listing(
    dictionary: Dictionary,
    names: list[Candidate],
    start: int,
    paren: int,
    code: str,
    market_word: str | None,
    market: str | None,
) -> Reason | None:
    """Why the name at ``start`` with ``code`` after it is no listing, if it is none."""
    if any(start <= c.start < paren and not c.weak for c in names):
        return Reason.NAME_INSIDE  # a known name inside it that the code is not for
    if code in dictionary.stop_words or code in dictionary.wordlike:
        return Reason.ACRONYM  # 强化学习(RL), 人工智能(AI): spelled out, not a ticker
    if _plain_number(code, market_word, market):
        return Reason.YEAR_OR_NUMBER
    return None


def coded_names(
    text: str,
    dictionary: Dictionary,
    context: Context,
    names: list[Candidate],
    bounds: set[int],
    trace: MentionTrace | None = None,
) -> Iterator[Candidate]:
    """Candidates for every name written with its code, and for later mentions of names
    learned that way; ``trace``, if given, is told why a code found no name or listing."""
    # The longest name ending at a place: SK海力士(000660), not 海力士.
    name_ends = {c.end: c for c in sorted(names, key=lambda c: c.start, reverse=True)}
    learned: dict[str, str] = {}
    for match in _CODED.finditer(text):
        code, market_word = match["code"], match["market"]
        # 台積電 (2330-TW): some sites put a space between the name and its code.
        paren = match.start()
        while paren > 0 and text[paren - 1] == " ":
            paren -= 1
        market = context.market_at(paren)
        if market_word is not None:
            market = CN if _MARKET_SUFFIX[market_word] in {"SS", "SZ", "BJ"} else HK
        known_name = name_ends.get(paren) or _name_before(text, names, paren)
        if known_name is not None:
            hints = known_name.options or _market_listings(dictionary, code, market)
            symbol = _known(dictionary, code, market_word, hints)
            if symbol is not None:
                yield Candidate(known_name.start, match.end(), symbol, EXPLICIT)
            elif trace is not None:
                trace.refused_span(
                    known_name.start,
                    match.end(),
                    Evidence.NAME_WITH_CODE,
                    Reason.CODE_NOT_FOR_NAME,
                    options=known_name.options,
                    detail=code,
                )
            continue
        start = _name_start(text, paren, bounds)
        if start is None:
            if trace is not None:
                trace.refused_span(
                    match.start(), match.end(), Evidence.CODE, Reason.NO_NAME, detail=code
                )
            continue
        refused = _not_a_listing(dictionary, names, start, paren, code, market_word, market)
        if refused is not None:
            if trace is not None:
                trace.refused_span(start, match.end(), Evidence.CODE, refused, detail=code)
            continue
        listed = _market_listings(dictionary, code, market) if len(code) == 4 else ()
        if len(code) == 4 and code.isdigit() and market_word is None and not listed:
            # a number no listing of this paragraph's market has
            if trace is not None:
                trace.refused_span(
                    start, match.end(), Evidence.CODE, Reason.NOT_IN_MARKET, detail=code
                )
            continue
        symbol = _known(dictionary, code, market_word, listed)
        if symbol is not None:
            yield Candidate(start, match.end(), symbol, EXPLICIT)
            continue
        symbol = _unknown_listing(code, market_word, market) if code[0].isdigit() else None
        if symbol is not None:
            learned.setdefault(text[start:paren], symbol)
            yield Candidate(start, match.end(), symbol, EXPLICIT, learned_end=paren)
        elif trace is not None:
            trace.refused_span(start, match.end(), Evidence.CODE, Reason.UNKNOWN_CODE, detail=code)
    for name, symbol in learned.items():
        for found in re.finditer(re.escape(name), text):
            start, end = found.span()
            if _stands_alone(text, start, end, bounds):
                yield Candidate(start, end, symbol, ALIAS, learned_end=end)
            elif trace is not None:
                trace.refused_span(
                    start, end, Evidence.LEARNED_NAME, Reason.INSIDE_WORD, symbol=symbol
                )
