"""The analyzer behind the ``title`` and ``body`` fields.

Text is folded (NFKC, traditional to simplified), then split into Latin runs and
Chinese runs. Chinese runs go through jieba in accurate mode: each word takes one
position, so phrase queries work. At index time the dictionary sub-words of a long
word (搜索模式) are emitted at the parent's position, so 联准会 also finds 联准会主席's
parts without breaking phrases. Latin words are case-folded but never stemmed or
stopped: ON, IT and ALL stay searchable, and BRK.B stays one token (its parts are
added at the same position at index time).

Engines index these words as they are (Whoosh through ``app.search.whoosh.analysis``); bump
``ANALYZER_VERSION`` whenever they change, so an index of other words is rebuilt.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from app.search import segmenter

ANALYZER_VERSION = 2

_LATIN = r"[A-Za-z0-9]+(?:[.&'+\-_][A-Za-z0-9]+)*"
_CJK = r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f]+"
_RUN = re.compile(f"(?P<latin>{_LATIN})|(?P<cjk>{_CJK})")
_LATIN_PART = re.compile(r"[A-Za-z0-9]+")


def words(text: str, *, subwords: bool = False) -> Iterator[tuple[int, str, int, int]]:
    """``(position, word, start, end)`` over folded ``text``; offsets index the folded text.

    With ``subwords``, dictionary sub-words of long Chinese words and the parts of
    dotted or hyphenated Latin words follow their parent with the same position.
    """
    pos = 0
    for run in _RUN.finditer(text):
        if run.lastgroup == "latin":
            word = run.group().lower()
            yield pos, word, run.start(), run.end()
            if subwords and not word.isalnum():
                for part in _LATIN_PART.finditer(word):
                    yield pos, part.group(), run.start() + part.start(), run.start() + part.end()
            pos += 1
            continue
        tokenizer = segmenter.get()
        offset = run.start()
        for word in tokenizer.cut(run.group(), HMM=True):
            end = offset + len(word)
            yield pos, word, offset, end
            if subwords and len(word) > 2:
                yield from _subwords(tokenizer.FREQ, pos, word, offset)
            pos += 1
            offset = end


def _subwords(
    freq: dict[str, int], pos: int, word: str, offset: int
) -> Iterator[tuple[int, str, int, int]]:
    for size in (2, 3):
        if size >= len(word):
            break
        for i in range(len(word) - size + 1):
            gram = word[i : i + size]
            if freq.get(gram):
                yield pos, gram, offset + i, offset + i + size
