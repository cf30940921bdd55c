"""Commentaries related to one: those that name mostly the same companies, or whose
words resemble its words both ways; none rather than unrelated ones.

The thresholds come from measuring every pair of the five seeds, alone and together
with the relevance corpus (tests/search/data/corpus.yaml, 19 short notes) and a
one-company note on 贵州茅台:

- Words (the engine's ``related_from``, 0.12 for Whoosh): each of the two must reach
  that share of the other's own score under the other's key terms
  (``SearchBackend.likeness``; each engine measures it its own way, so each sets its
  own threshold: the postgres engine's is in ``app.search.postgres.similar``). With
  Whoosh, over the seeds alone the pairs around seed 004 (the AI-boom letter with the
  two translated market letters and the DeepSeek note) measure 0.19 to 0.27 and every
  other pair at most 0.11; over the larger corpus (where common words weigh less) 0.15
  to 0.19 against at most 0.10 (gold prices against 黄金周 spending 0.09). 0.12 sits
  in both gaps. One direction
  alone is not enough: a one-line note on rate cuts reaches 0.43 of its own score in
  a long weekly letter that shares only its commonest words, while the letter reaches
  nothing in the note.
- Companies (``TICKERS_MIN`` 0.25): the issuers both name are at least a quarter of
  those either names (Jaccard index). Notes on the same company or two measure 0.25
  to 1 (Broadcom and its custom chips 0.33, the Nvidia notes 0.5 to 1); the long
  letters share a few index and mega-cap names with everything, at most 0.20.

The 贵州茅台 note reaches at most 0.05 of anything and shares no company, so it has
no related commentaries.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from sqlalchemy import func
from sqlmodel import Session, col, select

from app.models import Commentary, Mention
from app.search import IndexUnavailable, SearchBackend
from app.web.queries.cache import cached
from app.web.queries.commentaries import by_ids

RELATED = 5
CANDIDATES = 30  # most similar texts looked at
CHECKED = 10  # of those, the most similar checked the other way round
TICKERS_MIN = 0.25


@dataclass(frozen=True, slots=True)
class Closeness:
    """How close another commentary is, on each measure (0 when not measured)."""

    words: float  # the lesser likeness of the two directions
    companies: float  # Jaccard index of the issuers the two name
    words_min: float  # the likeness from which texts are related (the engine's)

    @property
    def related(self) -> bool:
        return self.words >= self.words_min or self.companies >= TICKERS_MIN

    @property
    def strength(self) -> float:
        return max(self.words, self.companies)


def _issuers(session: Session, commentary_id: int) -> set[str]:
    rows = session.exec(
        select(Mention.issuer).where(Mention.commentary_id == commentary_id).distinct()
    )
    return {issuer for issuer in rows if issuer}


def company_overlap(session: Session, commentary_id: int) -> dict[int, float]:
    """The Jaccard index of issuers named, for each commentary that could reach
    ``TICKERS_MIN`` with ``commentary_id`` (only those sharing enough issuers)."""
    mine = _issuers(session, commentary_id)
    if not mine:
        return {}
    needed = max(1, math.ceil(TICKERS_MIN * len(mine)))
    shared_count = func.count(func.distinct(Mention.issuer))
    shared = dict(
        session.exec(
            select(Mention.commentary_id, shared_count)
            .where(col(Mention.issuer).in_(mine), Mention.commentary_id != commentary_id)
            .group_by(col(Mention.commentary_id))
            .having(shared_count >= needed)
            .order_by(shared_count.desc())
            .limit(CANDIDATES * 10)
        ).all()
    )
    if not shared:
        return {}
    totals = dict(
        session.exec(
            select(Mention.commentary_id, func.count(func.distinct(Mention.issuer)))
            .where(col(Mention.commentary_id).in_(list(shared)), Mention.issuer != "")
            .group_by(col(Mention.commentary_id))
        ).all()
    )
    return {
        int(other): int(n) / (len(mine) + int(totals[other]) - int(n))
        for other, n in shared.items()
    }


def word_likeness(backend: SearchBackend, commentary: Commentary) -> dict[int, float]:
    """For the texts most like ``commentary``'s, the lesser likeness of the two
    directions. Raises ``IndexUnavailable`` when the index cannot be used."""
    own_id = commentary.id or 0
    forward = [(s.id, s.likeness) for s in backend.similar(own_id, CANDIDATES)]
    floor = backend.related_from
    hopeful = [(other, share) for other, share in forward if share >= floor][:CHECKED]
    both: dict[int, float] = {}
    for other, share in hopeful:
        # One search at a time, so other requests on this worker are not held up.
        back = backend.likeness(other, own_id)
        both[other] = min(share, back)
    return both


def related(
    session: Session, backend: SearchBackend, commentary: Commentary, limit: int = RELATED
) -> list[Commentary]:
    assert commentary.id is not None
    key = ("related", commentary.id, limit)
    try:
        ranked = cached(session, key, lambda: _ranked(session, backend, commentary, limit))
    except IndexUnavailable:  # companies in common only, and not kept
        ranked = _ranked(session, None, commentary, limit)
    rows = by_ids(session, ranked)
    return [rows[i] for i in ranked if i in rows]


def closeness(
    session: Session, backend: SearchBackend | None, commentary: Commentary
) -> dict[int, Closeness]:
    """Every commentary measured against ``commentary``, related or not. Raises
    ``IndexUnavailable`` when ``backend``'s index cannot be used."""
    assert commentary.id is not None
    companies = company_overlap(session, commentary.id)
    words = word_likeness(backend, commentary) if backend is not None else {}
    floor = backend.related_from if backend is not None else math.inf
    return {
        other: Closeness(words.get(other, 0.0), companies.get(other, 0.0), floor)
        for other in set(companies) | set(words)
    }


def _ranked(
    session: Session, backend: SearchBackend | None, commentary: Commentary, limit: int
) -> list[int]:
    measured = closeness(session, backend, commentary)
    near = [other for other, c in measured.items() if c.related]
    return sorted(near, key=lambda other: (-measured[other].strength, -other))[:limit]
