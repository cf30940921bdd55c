"""The Whoosh index as ``IndexWriter``: the live index, or a new generation when there
is none, it is stale, or a rebuild was asked for; ``finish`` commits and publishes.

Documents arrive with their terms prepared ahead (``prepare``, run in ingest's pool of
processes), so the writer only adds postings: analysing text is most of the cost of
indexing. A document without them is analysed here, by the schema's own analyzer, to
the same terms.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from whoosh.index import FileIndex

from app import periods
from app.search.backend import Document, Synced, Word
from app.search.keywords import key_words
from app.search.whoosh import store
from app.search.whoosh.feeder import Feeder
from app.search.whoosh.schema import text_field
from app.search.whoosh.terms import DocumentTerms, body_terms, title_terms


@dataclass(frozen=True, slots=True)
class Ready:
    """A document's postings and its body's key words, computed by ``prepare``."""

    terms: DocumentTerms
    keys: str


def prepare(title: str, body: Sequence[Word]) -> Ready:
    """The postings of a title and of a body's analysed words, and the body's key words
    (``SearchBackend.preparer``: all of it in ingest's pool of processes)."""
    terms = DocumentTerms(title_terms(title), body_terms(body))
    return Ready(terms, terms.keys)


def index_fields(document: Document) -> dict[str, Any]:
    """Every field of ``document`` in the index; its terms when they were prepared, else
    its text for the writer to analyse. The body's key words are stored either way,
    the same from both. Its period and sort keys are those of ``app.periods``; an
    undated one has no period."""
    newest, oldest = periods.sort_keys(document.published, document.id)
    ready = document.prepared
    if isinstance(ready, Ready):
        terms = ready.terms
        text: dict[str, Any] = {"title": terms.title, "body": terms.body, "keys": ready.keys}
    else:
        keys = key_words(text_field("body").index(document.body))
        text = {"title": document.title, "body": document.body, "keys": keys}
    fields: dict[str, Any] = {
        "id": str(document.id),
        "rev": document.revision,
        **text,
        "tickers": ",".join(document.symbols),
        "newest": newest,
        "oldest": oldest,
    }
    if document.source:
        fields["source"] = document.source.casefold()
    if document.published is not None:
        last = document.last_day or document.published
        fields["date_from"] = document.published.toordinal()
        fields["date_to"] = last.toordinal()
        fields["month"] = document.published.strftime("%Y-%m")
    return fields


def _revisions(index: FileIndex) -> dict[int, int]:
    with index.searcher() as searcher:
        return {int(f["id"]): int(f["rev"]) for f in searcher.all_stored_fields()}


class WhooshWriter:
    def __init__(
        self,
        index_dir: Path,
        index: FileIndex,
        generation: Path | None,  # a new generation, published by ``finish``
        reason: str | None,
        in_index: dict[int, int],
    ) -> None:
        self.index_dir, self.index, self.generation = index_dir, index, generation
        self.reason = reason
        self._in_index = in_index  # id -> revision
        self._feeder = Feeder(index)
        self._put = self._deleted = 0
        self._done = False

    def revisions(self) -> dict[int, int]:
        return dict(self._in_index)

    def put(self, documents: Iterable[Document]) -> None:
        for document in documents:
            self._feeder.add(index_fields(document), replace=document.id in self._in_index)
            self._in_index[document.id] = document.revision
            self._put += 1

    def delete(self, ids: Iterable[int]) -> None:
        for doc_id in ids:
            if self._in_index.pop(doc_id, None) is not None:
                self._feeder.delete(str(doc_id))
                self._deleted += 1

    def finish(self) -> Synced:
        try:
            self._feeder.commit()
        except BaseException:
            self.cancel()
            raise
        if self.generation is not None:
            store.publish(self.index_dir, self.generation)
        self._done = True
        return Synced(
            indexed=self._put,
            deleted=self._deleted,
            rebuilt=self.generation is not None,
            reason=self.reason,
        )

    def cancel(self) -> None:
        if self._done:
            return
        self._feeder.cancel()
        if self.generation is not None:
            store.discard(self.generation)


def open_writer(index_dir: Path, rebuild: bool = False) -> WhooshWriter:
    """The live index, or a new generation when it is missing or stale or ``rebuild``.
    Call under the writer lock: it first removes what interrupted runs left unpublished."""
    notes: list[str] = []
    if index_dir.is_dir() and store.discard_unpublished(index_dir):
        notes.append("removed an unfinished index left by an interrupted run")
    if not rebuild:
        try:
            index = store.open_current(index_dir)
        except store.MissingIndex:
            notes.insert(0, "new index created")
        except store.StaleIndex as exc:
            notes.insert(0, f"rebuilt: the old index {exc.why}")
        else:
            return WhooshWriter(index_dir, index, None, _joined(notes), _revisions(index))
    generation, created = store.create_generation(index_dir)
    return WhooshWriter(index_dir, created, generation, _joined(notes), {})


def _joined(notes: list[str]) -> str | None:
    return "; ".join(notes) or None
