"""Which names from the exchange lists are too common to count on their own.

A full market list brings short names that are everyday words (统一 "unify", 大同 a
city, 南亚 "South Asia", 平安 "safe") or the first part of many other names (国泰 in
国泰君安, 国泰航空, 国泰金; 格力 in 格力电器, 格力地产). Such a name counts as a mention
only with evidence next to it; see ``extract``. Two measures decide, both data-driven:

- how often jieba's general dictionary (built from ordinary Chinese text) sees the word;
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
# Contained in the names of this many other companies: part of a naming family.
MANY_NAMES = 2
# Longer names are specific enough on their own.
MAX_WEAK_LENGTH = 3
# Two characters from a list nobody reviewed could be anything: a person's given name
# (记者何佳颖), a place, a word jieba does not know.
ALWAYS_WEAK_LENGTH = 2


@lru_cache(maxsize=1)
def everyday_names() -> frozenset[str]:
    """Listed names that are ordinary phrases, places or famous names, reviewed by hand
    (海量数据, 鄂尔多斯, 蒙娜丽莎): too long for the measures above."""
    text = resources.files("app.instruments").joinpath("everyday_names.txt").read_text("utf-8")
    return frozenset(
        w for line in text.splitlines() if not line.startswith("#") for w in line.split()
    )


@lru_cache(maxsize=1)
def _general_frequencies() -> dict[str, int]:
    """Frequencies of the short words of jieba's general dictionary."""
    found: dict[str, int] = {}
    text = resources.files("jieba").joinpath("dict.txt").read_text("utf-8")
    for line in text.splitlines():
        word, _, rest = line.partition(" ")
        if len(word) <= MAX_WEAK_LENGTH:
            found[word] = int(rest.split(" ", 1)[0])
    return found


def weak_names(
    candidates: Iterable[str],
    aliases: dict[str, tuple[str, ...]],
    issuers_of: Callable[[str], set[str]],
) -> frozenset[str]:
    """The folded ``candidates`` that are everyday words or parts of many names."""
    candidates = set(candidates)
    reviewed_as_everyday = candidates & everyday_names()
    short = {c for c in candidates if 1 < len(c) <= MAX_WEAK_LENGTH and not c.isascii()}
    if not short:
        return frozenset(reviewed_as_everyday)
    frequencies = _general_frequencies()
    weak = {
        c
        for c in short
        if len(c) <= ALWAYS_WEAK_LENGTH or frequencies.get(c, 0) >= EVERYDAY_FREQUENCY
    }
    automaton = ahocorasick.Automaton()
    for name in short - weak:
        automaton.add_word(name, name)
    automaton.make_automaton()
    containing: dict[str, set[str]] = {}
    for alias in aliases:
        if len(alias) <= 1:
            continue
        for _, name in automaton.iter(alias):
            if name != alias:
                containing.setdefault(name, set()).update(issuers_of(alias))
    for name, others in containing.items():
        if len(others - issuers_of(name)) >= MANY_NAMES:
            weak.add(name)
    return frozenset(weak | reviewed_as_everyday)
