"""Names written with their exchange code: ``领展(00823)``, ``力积电(6770)``,
``中芯国际(沪:688981)``, ``博通(AVGO)``.

The code is the evidence. A name the dictionary knows is settled by it (超微(AMD)); a name
it lacks is learned: the listing comes from the code and the market around it, and later
bare mentions of that exact name in the same commentary count too.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from app.instruments.dictionary import Dictionary, a_share_suffix
from app.instruments.evidence import ALIAS, EXPLICIT, Candidate, Context
from app.instruments.markets import CN, HK, JP, KR, TW, market_of_symbol

# Text is folded first, so （ ） ： are already ( ) :, and 滬 is 沪.
_CODED = re.compile(
    r"""\(\s*
    (?:(?P<market>沪|深|港|京|上证|深证|SH|SZ|HK|BJ)\s*[:.]?\s*)?
    (?P<code>
        \d{4,6}(?:[.\-](?:HK|SH|SS|SZ|BJ|TW|TWO|T|KS|KQ))?
      | [A-Z]{1,5}(?:[.\-][A-Z]{1,2})?
    )
    \s*\)""",
    re.VERBOSE,
)
_MARKET_SUFFIX = {"沪": "SS", "上证": "SS", "SH": "SS", "深": "SZ", "深证": "SZ", "SZ": "SZ"}
_MARKET_SUFFIX |= {"港": "HK", "HK": "HK", "京": "BJ", "BJ": "BJ"}
_NAME_CHAR = re.compile(r"[\u3400-\u9fffA-Za-z0-9\-*]")
# What comes before a company name but is not part of it: verbs, particles, and the
# words of a sentence about buying or holding it.
_NOT_NAME = re.compile(
    r"^(?:如|及|和|与|或|等|由|向)|买入|卖出|增持|减持|持有|包括|例如|其中|旗下|以及|资金|方面|表示|宣布|公布|认为|指出"
)
_NOT_IN_NAME = set("的了在是把被从对将为，,。")
MAX_NAME = 8
MIN_NAME = 2
_FOUR_DIGIT_SUFFIX = {HK: "HK", TW: "TW", JP: "T"}


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
    if suffix:
        if suffix == "SH":
            suffix = "SS"
        return f"{head.lstrip('0').zfill(4)}.HK" if suffix == "HK" else f"{head}.{suffix}"
    if market_word is not None:
        suffix = _MARKET_SUFFIX[market_word]
        return f"{head.lstrip('0').zfill(4)}.HK" if suffix == "HK" else f"{head}.{suffix}"
    if len(head) == 6:
        return f"{head}.KS" if market == KR else f"{head}.{a_share_suffix(head)}"
    if len(head) == 5 and head.startswith("0"):
        return f"{head[1:]}.HK"
    if len(head) == 4 and market in _FOUR_DIGIT_SUFFIX:
        return f"{head}.{_FOUR_DIGIT_SUFFIX[market]}"
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
    number = code if len(code) == 6 else code.lstrip("0") or "0"
    return tuple(s for s in dictionary.by_number.get(number, ()) if market_of_symbol(s) == market)


def coded_names(
    text: str,
    dictionary: Dictionary,
    context: Context,
    names: list[Candidate],
    bounds: set[int],
) -> Iterator[Candidate]:
    """Candidates for every name written with its code, and for later bare mentions of
    names learned that way."""
    name_ends = {c.end: c for c in names}
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
        known_name = name_ends.get(paren)
        if known_name is not None:
            hints = known_name.options or _market_listings(dictionary, code, market)
            symbol = _known(dictionary, code, market_word, hints)
            if symbol is not None:
                yield Candidate(known_name.start, match.end(), symbol, EXPLICIT)
            continue
        start = _name_start(text, paren, bounds)
        if start is None:
            continue
        if code in dictionary.stop_words or code in dictionary.wordlike:
            continue  # 强化学习(RL), 人工智能(AI): an acronym spelled out, not a ticker
        symbol = _known(dictionary, code, market_word, _market_listings(dictionary, code, market))
        is_new = symbol is None
        if symbol is None and code[0].isdigit():
            symbol = _unknown_listing(code, market_word, market)
        if symbol is None:
            continue
        learned.setdefault(text[start:paren], symbol)
        yield Candidate(start, match.end(), symbol, EXPLICIT, learned_end=paren if is_new else 0)
    for name, symbol in learned.items():
        is_new = symbol not in dictionary.by_symbol
        for found in re.finditer(re.escape(name), text):
            end = found.end()
            yield Candidate(found.start(), end, symbol, ALIAS, learned_end=end if is_new else 0)
