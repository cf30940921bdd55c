"""Pinyin readings of names: the full pinyin and the initials (英伟达: yingweida, ywd).

pypinyin's dictionaries take about 56 MB once loaded, so a long-running process asks
``read_aloud``, which reads every name it is given in a short-lived process of its own
(``python -m app.text.pinyin``: JSON names on stdin, JSON readings on stdout).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Iterable

from app.text.normalize import fold

_CJK_RUN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+")
_SPACES = re.compile(r"\s+")
_SECONDS = 300  # reading every name of the dictionary takes about two seconds

Reading = tuple[str, str]  # full pinyin, initials


def search_key(text: str) -> str:
    """How keys and queries are compared: folded, lower case, without spaces."""
    return _SPACES.sub("", fold(text)).casefold()


def readings(folded: str) -> Reading | None:
    """The full pinyin and the pinyin initials of a folded name holding Chinese
    characters, its Latin and digit parts kept as written (SK海力士: skhailishi, skhls).
    Pinyin is read phrase by phrase, so a polyphonic character takes the reading of the
    word it is in (银行 is yinhang, 重庆 chongqing)."""
    from pypinyin import lazy_pinyin

    if not _CJK_RUN.search(folded):
        return None
    full: list[str] = []
    initials: list[str] = []
    position = 0
    for run in _CJK_RUN.finditer(folded):
        other = search_key(folded[position : run.start()])
        full.append(other)
        initials.append(other)
        syllables = lazy_pinyin(run.group())
        full.extend(syllables)
        initials.extend(s[:1] for s in syllables)
        position = run.end()
    tail = search_key(folded[position:])
    return "".join(full) + tail, "".join(initials) + tail


def read_aloud(folded: Iterable[str]) -> dict[str, Reading | None]:
    """The readings of many folded names, worked out in a process of their own."""
    names = sorted(set(folded))
    if not any(_CJK_RUN.search(name) for name in names):
        return dict.fromkeys(names)
    done = subprocess.run(
        [sys.executable, "-m", "app.text.pinyin"],
        input=json.dumps(names),
        capture_output=True,
        text=True,
        check=True,
        timeout=_SECONDS,
    )
    said = json.loads(done.stdout)
    return {name: tuple(pair) if pair else None for name, pair in zip(names, said, strict=True)}


if __name__ == "__main__":
    json.dump([readings(name) for name in json.load(sys.stdin)], sys.stdout)
