"""The regional finance vocabulary table (``synonyms.txt``): words Mainland, Taiwan and
Hong Kong writers use for the same thing, joined at query time.

Folding (NFKC, traditional to simplified) already joins script variants (漲停/涨停), but
not different words (降息/減息, 聯準會/美联储): the table does. Words are keyed by their
folded form, the form the index holds, and keep the spelling the table gives them for
display. The table is read once per process; its words also go into jieba's dictionary
(``segmenter``) so each stays one index word, which is what lets an expansion match.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

from app.text.normalize import fold

RESOURCE = "synonyms.txt"
_SEPARATOR = re.compile(r"\s*\|\s*")
_ONE_WORD = re.compile(r"[^\s|#]+")


class SynonymError(ValueError):
    """The table cannot be used; the message names the file and line."""


@dataclass(frozen=True, slots=True)
class Synonyms:
    groups: tuple[tuple[str, ...], ...]  # folded words, in the table's order
    shown: dict[str, str]  # folded word -> as the table writes it
    group_of: dict[str, tuple[str, ...]]  # folded word -> its group

    @property
    def words(self) -> frozenset[str]:
        return frozenset(self.shown)

    def others(self, word: str) -> tuple[str, ...]:
        """The other folded words of ``word``'s group (``word`` folded or not)."""
        key = key_of(word)
        return tuple(w for w in self.group_of.get(key, ()) if w != key)


def key_of(word: str) -> str:
    """A word as the index holds it: folded, Latin lower-cased (the analyzer does both)."""
    return fold(word).strip().lower()


def parse(text: str, source: str = RESOURCE) -> Synonyms:
    """Raises ``SynonymError`` naming the line of a group with fewer than two distinct
    words after folding, a word that is not one word, or a word already in a group."""
    groups: list[tuple[str, ...]] = []
    shown: dict[str, str] = {}
    line_of: dict[str, int] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        where = f"{source}, line {number}"
        group: list[str] = []
        for written in _SEPARATOR.split(line):
            if not _ONE_WORD.fullmatch(written):
                raise SynonymError(f"{where}: {written!r} is not one word")
            key = key_of(written)
            if key in line_of and line_of[key] != number:
                raise SynonymError(
                    f"{where}: {written!r} is already in the group on line {line_of[key]}"
                )
            if key not in group:  # 聯準會 and 联准会 on one line are one word
                group.append(key)
                shown[key] = written
                line_of[key] = number
        if len(group) < 2:
            raise SynonymError(
                f"{where}: a group needs two words that differ after folding: {line!r}"
            )
        groups.append(tuple(group))
    group_of = {word: group for group in groups for word in group}
    return Synonyms(tuple(groups), shown, group_of)


def load(path: Path) -> Synonyms:
    """A table from a file (tests, reviews of a new table)."""
    return parse(path.read_text("utf-8"), str(path))


def resource_text() -> str:
    """The shipped table's text."""
    return resources.files("app.search").joinpath(RESOURCE).read_text("utf-8")


@cache
def table() -> Synonyms:
    """The shipped table, read and checked once."""
    return parse(resource_text())


def groups_differ(texts: Mapping[str, str]) -> bool:
    """Whether the table among ``texts`` (file name to text) joins other words than the
    shipped table (a table that does not read differs)."""
    try:
        return parse(texts.get(RESOURCE, "")).groups != table().groups
    except SynonymError:
        return True


def synonyms(word: str) -> tuple[str, ...]:
    """The other words (folded) of ``word``'s group in the shipped table; () if none."""
    return table().others(word)


def words() -> frozenset[str]:
    """Every folded word of the shipped table."""
    return table().words


def shown(word: str) -> str:
    """How the table writes a folded word (聯準會 for 联准会); the word itself if absent."""
    return table().shown.get(word, word)
