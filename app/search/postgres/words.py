"""A commentary's analysed words as a ``tsvector``, and words as ``tsquery`` operands.

The words are the archive's own (``analyzer.words``), given to PostgreSQL as literals
(``CAST(… AS tsvector)``), never through its parser, so that it neither splits nor
stems them. Positions are the analyzer's: accurate-mode words one after another,
sub-words at their parent's position. The title's words come first at weight A; the
body's follow at weight B, one position apart from the title so that no phrase runs
from one into the other. B, not the unmarked D: RUM ranks with PostgreSQL's default
weights (A 1.0, B 0.4), so a title word weighs about twice a body word there, as it
does in ``ts_rank_cd`` with the finder's own weights and in the Whoosh engine.

PostgreSQL keeps positions up to 16,383 and 256 of them per word; a longer text is
still found by every word, but a phrase is only found where its positions are kept.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from app.search.analyzer import words
from app.search.backend import Word
from app.search.keywords import body_key_words
from app.text.normalize import fold

MAX_POSITION = 16_383
MAX_POSITIONS_PER_WORD = 256
MAX_WORD_BYTES = 2_047  # a longer word is left out: PostgreSQL refuses it


@dataclass(frozen=True, slots=True)
class Ready:
    """A document's ``tsvector`` literal and its body's key words, computed by
    ``prepare`` in ingest's pool of processes."""

    words: str
    keys: str


def quoted(word: str) -> str:
    """``word`` as one lexeme of a ``tsvector`` or ``tsquery`` literal."""
    return "'" + word.replace("\\", "\\\\").replace("'", "''") + "'"


def _positions(found: dict[str, list[str]], items: Iterable[Word], offset: int, weight: str) -> int:
    """Add ``items``' positions (plus ``offset``, from 1) to ``found``; the last
    position used."""
    last = offset
    for pos, word, _, _ in items:
        at = min(pos + 1 + offset, MAX_POSITION)
        last = max(last, at)
        kept = found.setdefault(word, [])
        if len(kept) < MAX_POSITIONS_PER_WORD and (not kept or kept[-1] != f"{at}{weight}"):
            kept.append(f"{at}{weight}")
    return last


def vector(title: Sequence[Word], body: Sequence[Word]) -> str:
    """The ``tsvector`` literal of a title's and a body's analysed words."""
    found: dict[str, list[str]] = {}
    end = _positions(found, title, 0, "A")
    _positions(found, body, end + 1, "B")
    return " ".join(
        f"{quoted(word)}:{','.join(at)}"
        for word, at in found.items()
        if len(word.encode("utf-8")) <= MAX_WORD_BYTES
    )


def title_words(title: str) -> list[Word]:
    return list(words(fold(title), subwords=True))


def prepare(title: str, body: Sequence[Word]) -> Ready:
    """``SearchBackend.preparer``: the words' literal and the key words, from the
    body's analysed words (made once by ingest, for mentions too)."""
    return Ready(vector(title_words(title), body), body_key_words(body))
