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

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from whoosh.formats import Format

from app.search.analyzer import words
from app.search.backend import Word
from app.search.keywords import key_words
from app.text.normalize import fold

Item = tuple[bytes, int, float, bytes]  # term, frequency, weight, encoded positions


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
