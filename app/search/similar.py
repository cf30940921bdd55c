"""Commentaries whose words resemble one commentary's."""

from __future__ import annotations

from whoosh.searching import Searcher

KEY_TERMS = 12


def similar(
    searcher: Searcher, commentary_id: int, text: str, limit: int = 10
) -> list[tuple[int, float]]:
    """``(id, score)`` of the commentaries most like ``text`` (the body of
    ``commentary_id``, which is left out), best first. The body is not stored in the
    index, so its key terms are drawn from ``text``."""
    docnum = searcher.document_number(id=str(commentary_id))
    if docnum is None or not text.strip():
        return []
    hits = searcher.more_like(docnum, "body", text=text, top=limit, numterms=KEY_TERMS)
    return [(int(hit["id"]), float(hit.score)) for hit in hits]
