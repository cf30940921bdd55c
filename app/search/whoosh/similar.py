"""How much commentaries' words resemble each other.

A commentary's key terms make a query: its ``KEY_TERMS`` topical words best weighed
by Whoosh's Bo1 model (as ``Searcher.key_terms_from_text`` weighs them). A single
character or a bare number is never a key term (``terms.topical``). They are drawn
from the candidate key words its body left in the index at ingest (``keys``: its
heaviest topical words and those Bo1 is likely to rank first, with their weights in
the body; see ``terms.key_words``), so no body is read or segmented again here; only
the words' weights in the whole collection are looked up, since those change as the
archive grows. A match is measured as the share of the commentary's own score under that query that
the other one reaches, so it is comparable between texts.

The query is scored over every document at once by the engine's array finder
(``finder.scored``), exactly as Whoosh would score it, from the key terms' cached
posting arrays: a first view of a commentary costs a dozen short array sums.
"""

from __future__ import annotations

import numpy as np
from whoosh import query
from whoosh.classify import Bo1Model
from whoosh.query.compound import DefaultOr
from whoosh.searching import Searcher

from app.search.keywords import read_key_words
from app.search.whoosh.finder import best, scored
from app.search.whoosh.kept import PerSearcher

KEY_TERMS = 12
FIELD = "body"
MEMO_SIZE = 200_000  # words' collection weights kept per reader, then started afresh

# Per index reader (one per index generation): the collection weight of words looked
# up, which the key terms of many commentaries share.
_collection_weights: PerSearcher[dict[str, float]] = PerSearcher(lambda reader: {})


def key_terms(searcher: Searcher, docnum: int) -> list[tuple[str, float]]:
    """The ``KEY_TERMS`` key terms of document ``docnum`` and their weights, best
    first, as ``Expander.expanded_terms`` weighs them (Bo1, normalised)."""
    encoded = searcher.stored_fields(docnum).get("keys")
    if not encoded:
        return []
    total, candidates = read_key_words(encoded)
    reader = searcher.reader()
    model = Bo1Model(reader.doc_count_all(), reader.field_length(FIELD))
    known = _collection_weights(reader)
    if len(known) > MEMO_SIZE:
        known.clear()
    scored: list[tuple[float, str]] = []
    for word, weight in candidates:
        in_collection = known.get(word)
        if in_collection is None:
            in_collection = known[word] = reader.frequency(FIELD, word)
        if in_collection:
            scored.append((model.score(weight, in_collection, total), word))
    if not scored:
        return []
    # The normaliser of the heaviest candidate: Whoosh's own is that of the heaviest
    # of all the body's words, which scales every weight alike and so no share.
    norm = model.normalizer(max(score for score, _ in scored), total)
    ranked = sorted(((score / norm, word) for score, word in scored), key=lambda p: (-p[0], p[1]))
    return [(word, weight) for weight, word in ranked[:KEY_TERMS]]


def _key_query(searcher: Searcher, docnum: int) -> DefaultOr | None:
    terms = key_terms(searcher, docnum)
    if not terms:
        return None
    return DefaultOr([query.Term(FIELD, word, boost=weight) for word, weight in terms])


def _docnum(searcher: Searcher, commentary_id: int) -> int | None:
    docnum = searcher.document_number(id=str(commentary_id))
    return None if docnum is None else int(docnum)


def similar(searcher: Searcher, commentary_id: int, limit: int = 10) -> list[tuple[int, float]]:
    """``(id, likeness)`` of the commentaries most like ``commentary_id`` (which is
    left out), best first; likeness is the share of ``commentary_id``'s own score each
    reaches under its key terms."""
    docnum = _docnum(searcher, commentary_id)
    q = None if docnum is None else _key_query(searcher, docnum)
    if docnum is None or q is None:
        return []
    mask, scores, ids = scored(searcher, q)
    own = float(scores[docnum])
    if not own:
        return []
    mask[docnum] = False
    top = best(np.flatnonzero(mask), scores, limit)
    return [(int(ids[d]), float(scores[d]) / own) for d in top]


def likeness(searcher: Searcher, commentary_id: int, other_id: int) -> float:
    """The share of ``commentary_id``'s own score that ``other_id`` reaches under its
    key terms; 0 when either is not indexed."""
    docnum, other = _docnum(searcher, commentary_id), _docnum(searcher, other_id)
    q = None if docnum is None or other is None else _key_query(searcher, docnum)
    if docnum is None or other is None or q is None:
        return 0.0
    _, scores, _ = scored(searcher, q)
    own = float(scores[docnum])
    return float(scores[other]) / own if own else 0.0
