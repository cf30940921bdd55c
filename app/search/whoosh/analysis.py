"""The archive's analyzer as Whoosh's tokenizer: the words of ``app.search.analyzer``.

Whoosh pickles the tokenizer into the index with the schema: keep this name and module.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from whoosh.analysis import Token, Tokenizer

from app.search.analyzer import words
from app.text.normalize import fold


class ChineseTokenizer(Tokenizer):  # type: ignore[misc]
    """Whoosh tokenizer over ``words``; sub-words only when indexing."""

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ChineseTokenizer)

    def __hash__(self) -> int:
        return hash(ChineseTokenizer)

    def __call__(
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        tokenize: bool = True,
        mode: str = "",
        **kwargs: Any,
    ) -> Iterator[Token]:
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        for pos, word, start, end in words(fold(value), subwords=mode == "index"):
            token.text = word
            token.boost = 1.0
            token.stopped = False
            if keeporiginal:
                token.original = word
            if positions:
                token.pos = start_pos + pos
            if chars:
                token.startchar = start_char + start
                token.endchar = start_char + end
            yield token


def chinese_analyzer() -> ChineseTokenizer:
    return ChineseTokenizer()
