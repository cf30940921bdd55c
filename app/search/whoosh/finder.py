"""Find what a ``Lookup`` matches with arrays instead of Whoosh's matchers.

The criterion is compiled to the Whoosh query that defines its meaning (``compile``),
and that query is then evaluated over every document at once: each part gives a mask
of the documents it matches and their scores, computed as Whoosh's matchers compute
them (BM25F on a term, the sum of the parts' scores on ``And``, ``Or`` and a phrase,
1.0 for a document that ``Not``, ``Every`` or a date range matches). The result is
the one ``searcher.search(query, limit=None, filter=...)`` gives, in its order (ties
by docnum), with the exact total and facets, without visiting documents one by one.

A search stops reading postings once its budget is spent. What it has not read
matches nothing, and an exclusion it could not finish excludes everything, so a
partial answer only holds documents that match; its total is a lower bound.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from whoosh import query as wq
from whoosh.scoring import BM25F
from whoosh.searching import Searcher

from app.search.backend import NO_FACETS, TOP_TICKERS, Facets, Found, Hit, Lookup
from app.search.whoosh.compile import whoosh_filter, whoosh_query
from app.search.whoosh.deadline import Deadline
from app.search.whoosh.docvalues import (
    MISSING_DAY,
    Bools,
    DocValues,
    Floats,
    Ints,
    doc_values,
)
from app.search.whoosh.postings import Postings, postings


@dataclass(frozen=True, slots=True)
class Matched:
    mask: Bools
    scores: Floats  # 0 where ``mask`` is False
    exact: bool  # False: ``mask`` holds only part of what matches


class _Evaluation:
    def __init__(self, searcher: Searcher, values: DocValues, deadline: Deadline) -> None:
        weighting = searcher.weighting
        if not isinstance(weighting, BM25F):
            raise TypeError(f"the finder scores as BM25F does, not as {weighting!r}")
        self.weighting = weighting
        self.searcher = searcher
        self.values = values
        self.deadline = deadline

    def nothing(self, exact: bool = True) -> Matched:
        return Matched(np.zeros(self.values.size, np.bool_), np.zeros(self.values.size), exact)

    def constant(self, mask: Bools, score: float) -> Matched:
        return Matched(mask, np.where(mask, score, 0.0), True)

    def query(self, q: wq.Query) -> Matched:
        if q is wq.NullQuery:
            return self.nothing()
        if isinstance(q, wq.Term):
            found = self.term(q.fieldname, q.text)
        elif isinstance(q, wq.Phrase):
            found = self.phrase(q)
        elif isinstance(q, wq.Not):
            inner = self.query(q.query)
            if not inner.exact:
                return self.nothing(exact=False)
            return self.constant(self.values.live & ~inner.mask, 1.0)
        elif isinstance(q, wq.Every):
            found = self.constant(self.values.live.copy(), 1.0)
        elif isinstance(q, wq.NumericRange):
            return self.constant(self.date_range(q), q.boost)
        elif isinstance(q, (wq.And, wq.Or)):
            found = self.compound(q)
        else:
            raise TypeError(f"the finder cannot run {q!r}")
        if q.boost != 1.0:
            found = Matched(found.mask, found.scores * q.boost, found.exact)
        return found

    def compound(self, q: wq.And | wq.Or) -> Matched:
        """The parts folded in one at a time, so a wide ``Or`` (a prefix's many words)
        holds two arrays of the archive's size, not one per part."""
        if not q.subqueries:
            return self.nothing()
        first = self.query(q.subqueries[0])
        mask, scores, exact = first.mask.copy(), first.scores.copy(), first.exact
        for sub in q.subqueries[1:]:
            part = self.query(sub)
            if isinstance(q, wq.And):
                mask &= part.mask
            else:
                mask |= part.mask
            scores += part.scores
            exact = exact and part.exact
        if isinstance(q, wq.And):
            scores[~mask] = 0.0
        return Matched(mask, scores, exact)

    def date_range(self, q: wq.NumericRange) -> Bools:
        if q.startexcl or q.endexcl or q.fieldname not in MISSING_DAY:
            raise TypeError(f"the finder cannot run {q!r}")
        days = self.values.days(self.searcher, q.fieldname)
        mask = self.values.live.copy()
        if q.start is not None:
            mask &= days >= q.start
        if q.end is not None:
            mask &= days <= q.end
        return mask

    def read(self, fieldname: str, text: str, positions: bool) -> tuple[bytes, Postings | None]:
        btext = self.searcher.schema[fieldname].to_bytes(text)
        if self.deadline.passed():
            return btext, None
        return btext, postings(self.searcher, fieldname, btext, self.deadline, positions=positions)

    def scores(self, fieldname: str, btext: bytes, docs: Ints, weights: Floats) -> Floats:
        """The score Whoosh's scorer gives each posting of the term."""
        if not self.searcher.schema[fieldname].scorable:
            return weights
        w = self.weighting
        idf = self.searcher.idf(fieldname, btext)
        avgfl = self.searcher.avg_field_length(fieldname) or 1
        b = w._field_B.get(fieldname, w.B)
        k1 = w.K1
        fl = self.values.lengths[fieldname][docs]
        result: Floats = idf * ((weights * (k1 + 1)) / (weights + k1 * ((1 - b) + b * fl / avgfl)))
        return result

    def term(self, fieldname: str, text: str) -> Matched:
        btext, found = self.read(fieldname, text, positions=False)
        if found is None:
            return self.nothing(exact=False)
        if not len(found.docs):
            return self.nothing()  # no scorer either: Whoosh has none for a missing term
        keep = self.values.live[found.docs]
        docs = found.docs[keep]
        matched = self.nothing()
        matched.mask[docs] = True
        matched.scores[docs] = self.scores(fieldname, btext, docs, found.weights[keep])
        return matched

    def phrase(self, q: wq.Phrase) -> Matched:
        if q.slop != 1:
            raise TypeError(f"the finder cannot run {q!r}")
        fieldname = q.fieldname
        read = [self.read(fieldname, word, positions=True) for word in q.words]
        if any(found is None for _, found in read):
            return self.nothing(exact=False)
        lists = [found for _, found in read if found is not None]
        if any(not len(found.docs) for found in lists):
            return self.nothing()  # a word no document has: Whoosh's shortcut too
        candidates = self.values.live.copy()
        for found in lists:
            here = np.zeros(self.values.size, np.bool_)
            here[found.docs] = True
            candidates &= here
        keys: Ints | None = None
        span = len(lists)
        for k, found in enumerate(lists):
            word_keys = _position_keys(found, candidates, span - k, self.deadline)
            if word_keys is None:
                return self.nothing(exact=False)
            keys = word_keys if keys is None else np.intersect1d(keys, word_keys)
        matched = self.nothing()
        if keys is None or not len(keys):
            return matched
        docs = np.unique(keys >> 32)
        matched.mask[docs] = True
        for (btext, _), found in zip(read, lists, strict=True):
            at = np.searchsorted(found.docs, docs)
            matched.scores[docs] += self.scores(fieldname, btext, docs, found.weights[at])
        return matched


def _position_keys(
    found: Postings, candidates: Bools, shift: int, deadline: Deadline
) -> Ints | None:
    """``doc << 32 | position + shift`` for every position of the term in a candidate:
    the k-th word of a phrase, shifted by its distance to the end, lines up with the
    others at the same key exactly when the words follow one another."""
    located = found.positions(np.flatnonzero(candidates[found.docs]), deadline)
    if located is None:
        return None
    docs, positions = located
    keys: Ints = np.unique((docs << 32) | (positions + shift))
    return keys


def _top(candidates: Ints, primary: Ints | Floats, k: int, docs_descending: bool) -> Ints:
    """The first ``k`` of ``candidates`` (ascending docnums) by ``primary`` ascending,
    then by docnum (descending if asked), in that order."""

    def ordered(docs: Ints, keys: Ints | Floats) -> Ints:
        order = np.lexsort((-docs if docs_descending else docs, keys))
        return docs[order]

    if k >= len(candidates):
        return ordered(candidates, primary)
    if k <= 0:
        return candidates[:0]
    threshold = primary[np.argpartition(primary, k - 1)[k - 1]]
    better = primary < threshold
    tied = candidates[primary == threshold]
    need = k - int(better.sum())
    tied = tied[::-1][:need] if docs_descending else tied[:need]
    docs = np.concatenate([candidates[better], tied])
    keys = np.concatenate([primary[better], np.full(len(tied), threshold)])
    return ordered(docs, keys)


def count_facets(values: DocValues, mask: Bools) -> Facets:
    """Tickers by most matches then symbol (the first ``TOP_TICKERS``), months newest
    first, over the documents in ``mask``."""
    symbols = values.tagged_symbol[mask[values.tagged_doc]]
    tickers = np.bincount(symbols, minlength=len(values.tickers))
    nonzero = np.flatnonzero(tickers)
    order = nonzero[np.lexsort((nonzero, -tickers[nonzero]))][:TOP_TICKERS]
    month_of = values.month_of[mask]
    months = np.bincount(month_of[month_of >= 0], minlength=len(values.months))
    return Facets(
        tuple((values.tickers[i], int(tickers[i])) for i in order),
        tuple((values.months[i], int(months[i])) for i in np.flatnonzero(months)[::-1]),
    )


def find(searcher: Searcher, lookup: Lookup, deadline: Deadline | None = None) -> Found:
    """What ``lookup`` finds in ``searcher``'s index, as the stock Whoosh search of
    ``whoosh_query(lookup.criterion)`` filtered by ``whoosh_filter`` finds it, within
    ``deadline`` (by default ``lookup.budget`` from now)."""
    values = doc_values(searcher)
    mask = values.live
    allow = whoosh_filter(lookup.filters)
    if allow is not None:
        # Filters are a few tickers' short posting lists and dates: always read whole,
        # so the budget never empties what the words found.
        mask = _Evaluation(searcher, values, Deadline(math.inf)).query(allow).mask
    evaluation = _Evaluation(searcher, values, deadline or Deadline(lookup.budget))
    matched = evaluation.query(whoosh_query(lookup.criterion, searcher.reader()))
    mask, exact = mask & matched.mask, matched.exact
    candidates = np.flatnonzero(mask).astype(np.int64)
    end = lookup.offset + lookup.limit
    if lookup.sort == "relevance":
        page = _top(candidates, -matched.scores[candidates], end, False)
    elif lookup.sort == "newest":
        page = _top(candidates, -values.newest[candidates], end, True)
    else:
        page = _top(candidates, values.oldest[candidates], end, False)
    page = page[lookup.offset : end]
    relevance = lookup.sort == "relevance"
    hits = tuple(
        Hit(int(values.ids[d]), float(matched.scores[d]) if relevance else None) for d in page
    )
    return Found(
        hits=hits,
        total=len(candidates),
        total_exact=exact,
        facets=count_facets(values, mask) if lookup.facets else NO_FACETS,
        partial=not exact,
    )


def scored(searcher: Searcher, q: wq.Query) -> tuple[Bools, Floats, Ints]:
    """What ``q`` matches in ``searcher``'s index and each document's score (0 where
    unmatched), as Whoosh scores them, with the commentary id of each docnum; no budget
    (for the key terms of related commentaries: a dozen words)."""
    values = doc_values(searcher)
    matched = _Evaluation(searcher, values, Deadline(math.inf)).query(q)
    return matched.mask, matched.scores, values.ids


def best(candidates: Ints, scores: Floats, k: int) -> Ints:
    """The ``k`` best of ``candidates`` (ascending docnums) by score, ties by docnum."""
    return _top(candidates, -scores[candidates], k, False)


def warm(searcher: Searcher) -> None:
    """Read what every search of ``searcher``'s generation needs, postings aside, so the
    first search after a new generation opens does not pay for it (it is not budgeted)."""
    values = doc_values(searcher)
    for fieldname in MISSING_DAY:
        values.days(searcher, fieldname)
