"""A body's key words: the words that say what it is about, kept with each indexed
commentary so that related commentaries are found without reading any body again.

The same for every engine: computed from the analysed words of the body (the index's
own), encoded as text, and read back by the engine's ``similar``.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence

from app.search import segmenter
from app.search.backend import Word

# The topical words kept per body (``key_words``): the key terms are drawn from these.
KEY_CANDIDATES = 64


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


def body_key_words(body: Sequence[Word]) -> str:
    """``key_words`` of a body's analysed words (``analyzer.words`` with sub-words),
    each word weighing as often as it occurs, as in the index."""
    counts = Counter(word for _, word, _, _ in body)
    return key_words((word, count, count, None) for word, count in counts.items())


def expected_key_terms(encoded: str, limit: int) -> list[tuple[str, float]]:
    """The first ``limit`` key words of ``encoded`` by the Bo1 score they would have
    if the collection used each word as often as jieba's dictionary says, with that
    score over the best one's (so the first weighs 1): key terms for an engine that
    does not weigh words against its own collection."""
    if not encoded:
        return []
    total, pairs = read_key_words(encoded)
    rank = _expected_rank(total)
    scored = sorted((rank(pair), pair[0]) for pair in pairs)[:limit]
    if not scored:
        return []
    best = -scored[0][0][0]
    if best <= 0:
        return []
    return [(word, -key[0] / best) for key, word in scored]
