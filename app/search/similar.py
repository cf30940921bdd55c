"""How much commentaries' words resemble each other.

A commentary's key terms (drawn from its text by Whoosh's Bo1 model; the body is not
stored in the index) make a query. A single character or a bare number is not a key
term: 的, 在, 了 and figures say nothing of what a text is about, and let a short note
match every long one. A match is measured as the share of the commentary's own score
under that query that the other one reaches, so it is comparable between texts."""

from __future__ import annotations

from whoosh import query
from whoosh.searching import Searcher

KEY_TERMS = 12
DRAWN = 40  # key terms drawn before the single characters and numbers are dropped


def _topical(word: str) -> bool:
    return len(word) > 1 and not word.replace(".", "").replace(",", "").isdigit()


def _key_query(searcher: Searcher, text: str) -> query.Query | None:
    drawn = searcher.key_terms_from_text("body", text, numterms=DRAWN)
    terms = [(word, weight) for word, weight in drawn if _topical(word)][:KEY_TERMS]
    if not terms:
        return None
    return query.Or([query.Term("body", word, boost=weight) for word, weight in terms])


def _scores(searcher: Searcher, q: query.Query, ids: list[int]) -> dict[int, float]:
    only = query.Or([query.Term("id", str(i)) for i in ids])
    return {int(hit["id"]): float(hit.score) for hit in searcher.search(q, filter=only)}


def similar(
    searcher: Searcher, commentary_id: int, text: str, limit: int = 10
) -> list[tuple[int, float]]:
    """``(id, likeness)`` of the commentaries most like ``text`` (the body of
    ``commentary_id``, which is left out), best first; likeness is the share of
    ``commentary_id``'s own score each reaches under its key terms."""
    q = _key_query(searcher, text) if text.strip() else None
    if q is None or searcher.document_number(id=str(commentary_id)) is None:
        return []
    own = _scores(searcher, q, [commentary_id]).get(commentary_id)
    if not own:
        return []
    hits = searcher.search(q, limit=limit + 1)
    found = [(int(hit["id"]), float(hit.score) / own) for hit in hits]
    return [(other, share) for other, share in found if other != commentary_id][:limit]


def likeness(searcher: Searcher, commentary_id: int, text: str, other_id: int) -> float:
    """The share of ``commentary_id``'s own score (``text`` is its body) that
    ``other_id`` reaches under its key terms; 0 when either is not indexed."""
    q = _key_query(searcher, text) if text.strip() else None
    if q is None:
        return 0.0
    scores = _scores(searcher, q, [commentary_id, other_id])
    own = scores.get(commentary_id)
    return scores.get(other_id, 0.0) / own if own else 0.0
