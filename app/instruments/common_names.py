"""Which names from the exchange lists are too common to count on their own.

A full market list brings short names that are everyday words (统一 "unify", 大同 a
city, 南亚 "South Asia", 平安 "safe") or the first part of many other names (国泰 in
国泰君安, 国泰航空, 国泰金; 格力 in 格力电器, 格力地产). Such a name counts as a mention
only with evidence next to it; see ``extract``. Two measures decide, both data-driven:

- whether jieba's general dictionary (built from ordinary Chinese text) knows the name
  as a word other than an organisation's (陆家嘴, 电能, 寒武纪), or sees it often;
- how many other companies' names contain it;

and every two-character name from the lists needs evidence, whatever the measures say.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import lru_cache
from importlib import resources

import ahocorasick

# jieba's dictionary counts ~60 million words; at this count a word is ordinary Chinese
# (大同 563, 光大 199, 中信 202) while company names are rare (华硕 75, 国泰 76).
EVERYDAY_FREQUENCY = 150
# And at this count it is among the commonest words of the language (统一 13,986,
# 开发 10,022, 全国): a price move next to it says nothing about a company.
COMMONEST_FREQUENCY = 5000
# Contained in the names of this many other companies: part of a naming family.
MANY_NAMES = 2
# Longer names are specific enough on their own.
MAX_WEAK_LENGTH = 3
# Two characters from a list nobody reviewed could be anything: a person's given name
# (记者何佳颖), a place, a word jieba does not know.
ALWAYS_WEAK_LENGTH = 2


# Tags jieba's dictionary gives company names (organisation, other proper noun,
# abbreviation); a listed name tagged otherwise is a place, a person, a thing or a phrase
# first (陆家嘴, 寒武纪, 电能, 好想你).
_NAME_TAGS = frozenset({"nt", "nz", "j", "nrt"})


@lru_cache(maxsize=1)
def _general_words(wanted: frozenset[str]) -> dict[str, tuple[int, str]]:
    """Frequency and part-of-speech tag of each ``wanted`` word that jieba's general
    dictionary holds."""
    found: dict[str, tuple[int, str]] = {}
    text = resources.files("jieba").joinpath("dict.txt").read_text("utf-8")
    for line in text.splitlines():
        word, _, rest = line.partition(" ")
        if word in wanted:
            frequency, _, tag = rest.partition(" ")
            found[word] = (int(frequency), tag.strip())
    return found


def _ordinary(name: str, words: dict[str, tuple[int, str]]) -> bool:
    """Whether jieba's general dictionary knows ``name`` as an ordinary word."""
    frequency, tag = words.get(name, (0, ""))
    if len(name) <= ALWAYS_WEAK_LENGTH:
        return True
    if len(name) <= MAX_WEAK_LENGTH and frequency >= EVERYDAY_FREQUENCY:
        return True
    return frequency > 0 and tag not in _NAME_TAGS


def weak_names(
    candidates: Iterable[str],
    aliases: dict[str, tuple[str, ...]],
    issuers_of: Callable[[str], set[str]],
    everyday: frozenset[str] = frozenset(),
) -> tuple[frozenset[str], frozenset[str]]:
    """The folded ``candidates`` that are everyday words or parts of many names (or that
    ``everyday`` lists: ordinary phrases, places or famous names reviewed by hand, such
    as 海量数据, 鄂尔多斯, 蒙娜丽莎, too long for the measures), and those of them that
    are among the commonest words of the language."""
    names = frozenset(c for c in candidates if len(c) > 1 and not c.isascii())
    words = _general_words(names)
    weak = {n for n in names if _ordinary(n, words)} | (names & everyday)
    short = {n for n in names - weak if len(n) <= MAX_WEAK_LENGTH}
    if short:
        automaton = ahocorasick.Automaton()
        for name in short:
            automaton.add_word(name, name)
        automaton.make_automaton()
        containing: dict[str, set[str]] = {}
        for alias in aliases:
            if len(alias) > 1:
                for _, name in automaton.iter(alias):
                    if name != alias:
                        containing.setdefault(name, set()).update(issuers_of(alias))
        weak |= {n for n, others in containing.items() if len(others - issuers_of(n)) >= MANY_NAMES}
    common = {n for n in weak if words.get(n, (0, ""))[0] >= COMMONEST_FREQUENCY}
    return frozenset(weak), frozenset(common)
