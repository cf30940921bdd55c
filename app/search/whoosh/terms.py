"""Index terms computed ahead of the index writer.

Analysing text (jieba) is most of the cost of indexing. Ingest segments each body once,
in a pool of processes, and uses the same words for mention extraction and for the
index; the writer then receives each field's terms ready to add. ``FieldTerms`` holds
exactly what Whoosh's own analysis would have produced for the field, so an index built
this way and one built from plain text are the same.

The body's key words are drawn from the same terms: the topical words with their
weights in the body, kept in the index (a stored field) so related commentaries are
found without reading or segmenting any body again at request time.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from whoosh.formats import Format

from app.search import segmenter
from app.search.analyzer import words
from app.search.backend import Word
from app.text.normalize import fold

Item = tuple[bytes, int, float, bytes]  # term, frequency, weight, encoded positions
# The topical words kept per body (``key_words``): the key terms are drawn from these.
KEY_CANDIDATES = 64


@dataclass(frozen=True, slots=True)
class FieldTerms:
    """A field's postings for one document, as ``FieldType.index`` yields them."""

    items: tuple[Item, ...]


@dataclass(frozen=True, slots=True)
class DocumentTerms:
    title: FieldTerms
    body: FieldTerms

    @property
    def keys(self) -> str:
        """The body's candidate key words (``key_words``)."""
        return key_words(self.body.items)


def field_terms(tokens: Iterable[Word], fmt: Format) -> FieldTerms:
    positions: dict[str, list[int]] = defaultdict(list)
    for pos, word, _, _ in tokens:
        positions[word].append(pos)
    boost = fmt.field_boost
    encode = fmt.encode
    return FieldTerms(
        tuple(
            (word.encode("utf-8"), len(poses), float(len(poses)) * boost, encode(poses))
            for word, poses in positions.items()
        )
    )


def text_terms(text: str, fmt: Format) -> FieldTerms:
    """The terms of ``text`` as the index analyzer reads it."""
    return field_terms(words(fold(text), subwords=True), fmt)


def _formats() -> dict[str, Format]:
    from app.search.whoosh.schema import text_formats  # the schema builds on this module

    return text_formats()


def title_terms(title: str) -> FieldTerms:
    return text_terms(title, _formats()["title"])


def body_terms(tokens: Iterable[Word]) -> FieldTerms:
    """The body's terms from words already found (``analyzer.words`` with sub-words)."""
    return field_terms(tokens, _formats()["body"])


def document_terms(title: str, body: str) -> DocumentTerms:
    return DocumentTerms(title_terms(title), body_terms(words(fold(body), subwords=True)))


def topical(word: str) -> bool:
    """Whether ``word`` can say what a text is about: a single character (的, 在, 了)
    or a bare number says nothing of it, and would let a short note match every long
    one."""
    return len(word) > 1 and not word.replace(".", "").replace(",", "").isdigit()


def key_words(items: Iterable[Sequence[object]]) -> str:
    """The body's candidate key words, encoded for the stored ``keys`` field.

    ``items`` are the body's postings, ``(term, frequency, weight, positions)``, as
    ``FieldTerms`` holds them or as the body field's ``index`` yields them from text.
    Bo1 ranks a body's words by their weight in it against their weight in the whole
    collection, which changes as the archive grows: the ``KEY_CANDIDATES`` topical
    words kept are those Bo1 would rank first if the collection used each word as
    often as jieba's dictionary says (``_expected_rank``), and the key terms are drawn
    from them when searching (``app.search.whoosh.similar``). Heavy common words alone would
    miss the rarer words that Bo1 prefers.

    The encoding is the total weight of every term, then each word kept as
    ``word:weight``, in that order, all separated by spaces: ``"812 英伟达:9 降息:4
    ai:3"``. Analysed words hold neither spaces nor colons.
    """
    weights: dict[str, float] = defaultdict(float)
    total = 0.0
    for item in items:
        term, weight = item[0], item[2]
        word = term.decode("utf-8") if isinstance(term, bytes) else str(term)
        assert isinstance(weight, int | float)
        total += weight
        if topical(word):
            weights[word] += weight
    heaviest = sorted(weights.items(), key=lambda pair: (-pair[1], pair[0]))[:KEY_CANDIDATES]
    rank = _expected_rank(total)
    rarest = sorted(weights.items(), key=rank)[:KEY_CANDIDATES]
    kept = sorted(set(heaviest) | set(rarest), key=rank)
    return " ".join([_number(total), *(f"{word}:{_number(weight)}" for word, weight in kept)])


def _expected_rank(total: float) -> Callable[[tuple[str, float]], tuple[float, str]]:
    """The sort key of ``(word, weight)`` by the Bo1 score the word would have if
    each document used it as often as a text of this body's length does by jieba's
    dictionary (a word the dictionary lacks counts as rare), best first; ties by word."""
    tokenizer = segmenter.get()
    counts, all_words = tokenizer.FREQ, tokenizer.total

    def rank(pair: tuple[str, float]) -> tuple[float, str]:
        word, weight = pair
        per_document = total * max(counts.get(word) or 0, 1) / all_words
        score = weight * math.log2(1 + 1 / per_document) + math.log2(1 + per_document)
        return -score, word

    return rank


def read_key_words(encoded: str) -> tuple[float, list[tuple[str, float]]]:
    """``key_words``' total weight and ``(word, weight)`` pairs, heaviest first."""
    total, *pairs = encoded.split(" ")
    kept = []
    for pair in pairs:
        word, _, weight = pair.rpartition(":")
        kept.append((word, float(weight)))
    return float(total), kept


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))
