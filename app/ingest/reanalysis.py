"""Which stored commentaries a change of the analysis basis (``basis``) touches.

- The analysis line changed (analyzer, mention rules, jieba's own dictionary, OpenCC,
  Unicode), or the archive recorded no basis: every commentary, and the plan says why.
- Dictionary entries changed (an alias, a listing, an issuer, a stop-listed word):
  the commentaries whose folded title or body holds a changed entry (``changes``).
- jieba's extra words changed (a Chinese alias, a finance word, a synonym word): they
  change the words of the texts that hold them and of no other (``segmenter``), so
  those texts too.
- Only the synonym groups changed: queries expand differently, nothing is re-analysed.

The texts are scanned folded and lower-cased with one Aho-Corasick automaton of every
changed entry, in the ingest's pool of processes.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache, partial
from typing import Any

import ahocorasick
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session, col, func, select

from app.config import Settings
from app.db import make_engine
from app.ingest.basis import Basis, current_basis, stored_basis
from app.instruments import Dictionary, DictionaryError
from app.instruments.changes import EntryChange, dictionary_changes
from app.instruments.dictionary import build
from app.models import Commentary
from app.parallel import ProcessMap
from app.search import (
    SynonymError,
    jieba_words,
    synonym_groups_differ,
    user_words_from,
)
from app.text.normalize import fold

SCAN_BATCH = 1000


@dataclass(frozen=True)
class Plan:
    """What the next re-analysis must do: everything (``everything`` says why), the
    commentaries that hold one of ``holds``, or nothing."""

    everything: str | None = None
    changes: tuple[str, ...] = ()  # what changed, said for the report
    holds: frozenset[str] = field(default_factory=frozenset)

    @property
    def needed(self) -> bool:
        return self.everything is not None or bool(self.holds)


def _word_changes(before: list[str], after: list[str]) -> list[EntryChange]:
    """jieba's extra words added or removed ("" says no more than that)."""
    old, new = set(before), set(after)
    return [
        EntryChange(
            "jieba word",
            word,
            "" if word in old else None,
            "" if word in new else None,
            word.lower(),
        )
        for word in sorted(old ^ new)
    ]


def plan(stored: Basis | None, current: Basis, dictionary: Dictionary, *, stored_any: bool) -> Plan:
    """The re-analysis that brings an archive analysed on ``stored`` to ``current``
    (``dictionary`` is built from it); ``stored_any``: the archive holds commentaries."""
    if stored is None:
        if not stored_any:
            return Plan()
        return Plan("the archive does not record what its commentaries were analysed with")
    if stored.analysis != current.analysis:
        return Plan(f"the analysis changed ({stored.analysis} -> {current.analysis})")
    differing = stored.differing(current)
    if not differing:
        return Plan()
    try:
        before = build(stored.dictionary_sources())
    except DictionaryError as exc:
        return Plan(f"the dictionary the archive was analysed with no longer reads ({exc})")
    changes = list(dictionary_changes(before, dictionary))
    try:
        old_words = user_words_from(stored.texts, before.cjk_words())
    except SynonymError as exc:
        return Plan(f"the synonym table the archive was analysed with no longer reads ({exc})")
    changes += _word_changes(old_words, jieba_words())
    said = [change.describe() for change in changes]
    if synonym_groups_differ(stored.texts):
        said.append("synonym groups changed: queries expand differently")
    return Plan(None, tuple(said), frozenset(change.holds for change in changes if change.holds))


@lru_cache(maxsize=2)
def _automaton(holds: frozenset[str]) -> ahocorasick.Automaton:
    automaton = ahocorasick.Automaton()
    for text in holds:
        automaton.add_word(text, text)
    automaton.make_automaton()
    return automaton


def _holding(items: list[tuple[int, str, str]], holds: frozenset[str]) -> list[int | None]:
    """Of ``(id, title, body)`` items, the id of each that holds one of ``holds``, else
    None (work for a pool: one result per item)."""
    automaton = _automaton(holds)
    found: list[int | None] = []
    for ident, title, body in items:
        text = fold(f"{title}\n{body}").lower()
        found.append(ident if next(automaton.iter(text), None) is not None else None)
    return found


def _texts(engine: Engine) -> Iterator[tuple[int, str, str]]:
    with Session(engine) as session:
        rows = session.exec(
            select(Commentary.id, Commentary.title, Commentary.body)
            .order_by(col(Commentary.id))
            .execution_options(yield_per=SCAN_BATCH)
        )
        for ident, title, body in rows:
            assert ident is not None
            yield ident, title, body


def commentary_count(engine: Engine) -> int:
    with Session(engine) as session:
        return int(session.exec(select(func.count()).select_from(Commentary)).one())


def touched(engine: Engine, plan: Plan, pool: ProcessMap) -> tuple[list[int], int]:
    """The ids ``plan`` re-analyses, and how many commentaries were looked at."""
    if plan.everything is not None:
        with Session(engine) as session:
            rows = session.exec(select(Commentary.id).order_by(col(Commentary.id)))
            ids = [int(i) for i in rows if i is not None]
        return ids, len(ids)
    if not plan.holds:
        return [], 0
    total = commentary_count(engine)
    work = partial(_holding, holds=plan.holds)
    holding = [i for i in pool.map(work, _texts(engine), size_hint=total) if i is not None]
    return holding, total


@dataclass(frozen=True)
class Upcoming:
    """What the next ingest will re-analyse of an archive."""

    plan: Plan
    touched: int  # commentaries it re-analyses
    stored: int  # commentaries the archive holds

    def as_dict(self) -> dict[str, Any]:
        return {
            "everything": self.plan.everything,
            "changes": list(self.plan.changes),
            "reanalyses": self.touched,
            "commentaries": self.stored,
        }


def upcoming(settings: Settings, dictionary: Dictionary) -> Upcoming:
    """What the next ingest re-analyses, with ``dictionary`` (and this process's jieba
    words, ``prepare_analysis``) as they are now. Reads only; an archive without a
    database yet holds nothing to re-analyse."""
    engine = make_engine(settings, read_only=True)
    try:
        try:
            stored = commentary_count(engine)
        except SQLAlchemyError:
            return Upcoming(Plan(), 0, 0)
        with Session(engine) as session:
            try:
                basis = stored_basis(session)
            except SQLAlchemyError:  # a schema from before the basis was recorded
                basis = None
        todo = plan(basis, current_basis(dictionary), dictionary, stored_any=stored > 0)
        with ProcessMap() as pool:
            ids, _ = touched(engine, todo, pool)
        return Upcoming(todo, len(ids), stored)
    finally:
        engine.dispose()


__all__ = ["Plan", "Upcoming", "plan", "touched", "upcoming"]
