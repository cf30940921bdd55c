"""What the archive holds and how it stands: counts, dates, the index against the
database, where it lives, and the last ingest run (``archive stats``)."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel
from sqlalchemy import distinct, func
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session, col, select

from app.config import Settings
from app.db import make_engine, schema_status
from app.ingest.basis import current_basis, stored_basis
from app.ingest.pipeline import prepare_search
from app.ingest.reanalysis import plan
from app.models import Commentary, IngestRun, Mention
from app.search import open_backend


class Counts(BaseModel):
    commentaries: int
    dated: int
    undated: int
    mentions: int
    instruments_mentioned: int
    sources: int


class DateRange(BaseModel):
    first: dt.date | None
    last: dt.date | None


class IndexStatus(BaseModel):
    engine: str  # ARCHIVE_SEARCH_BACKEND
    # The index folder, for an engine that keeps its index in files; None for one that
    # keeps it in the database.
    directory: str | None
    generation: str | None
    created: str | None
    documents: int
    database_documents: int
    up_to_date: bool
    lagging: int  # in the database, missing from the index or at an older revision
    extra: int  # in the index, gone from the database
    problem: str | None


class LastRun(BaseModel):
    id: int
    started_at: dt.datetime
    finished_at: dt.datetime | None
    status: str
    paths: list[str]
    added: int
    updated: int
    unchanged: int
    duplicate: int
    failed: int
    pruned: int


class AnalysisStatus(BaseModel):
    """Whether the stored mentions and index words were made with the dictionary and
    analysis as they are now; else what the next ingest re-analyses."""

    up_to_date: bool
    everything: str | None  # why the next ingest re-analyses every commentary
    changes: list[str]  # entries changed since the last ingest


class ArchiveStatus(BaseModel):
    data_dir: str
    database_url: str  # with the password hidden
    database_problem: str | None
    counts: Counts
    dates: DateRange
    index: IndexStatus
    analysis: AnalysisStatus
    last_run: LastRun | None


def safe_url(url: str) -> str:
    """The database URL as it can be shown: the password replaced by ``***``."""
    return make_url(url).render_as_string(hide_password=True)


def archive_status(settings: Settings) -> ArchiveStatus:
    """Everything ``archive stats`` shows. Raises ``DictionaryError`` when the user's
    alias file is broken (the index is checked against the dictionary it was built with)."""
    dictionary = prepare_search(settings)
    engine = make_engine(settings, read_only=True)
    analysis = AnalysisStatus(up_to_date=True, everything=None, changes=[])
    revisions: dict[int, int] = {}
    counts = Counts(
        commentaries=0, dated=0, undated=0, mentions=0, instruments_mentioned=0, sources=0
    )
    dates, last_run = DateRange(first=None, last=None), None
    try:
        problem = schema_status(engine)
        if problem is None:
            with Session(engine) as session:
                counts, dates = _counts(session)
                revisions = _revisions(session)
                last_run = _last_run(session)
                todo = plan(
                    stored_basis(session),
                    current_basis(dictionary),
                    dictionary,
                    stored_any=counts.commentaries > 0,
                )
                analysis = AnalysisStatus(
                    up_to_date=not todo.needed,
                    everything=todo.everything,
                    changes=list(todo.changes),
                )
    except SQLAlchemyError as exc:
        # Only the error's class: its text can hold the host, the user, the password.
        problem = f"cannot read the database ({exc.__class__.__name__})"
    finally:
        engine.dispose()
    return ArchiveStatus(
        data_dir=str(settings.data_dir.resolve()),
        database_url=safe_url(settings.resolved_database_url),
        database_problem=problem,
        counts=counts,
        dates=dates,
        index=_index(settings, revisions),
        analysis=analysis,
        last_run=last_run,
    )


def _counts(session: Session) -> tuple[Counts, DateRange]:
    total, dated, first, last = session.exec(
        select(
            func.count(col(Commentary.id)),
            func.count(col(Commentary.published)),
            func.min(Commentary.published),
            func.max(Commentary.published),
        )
    ).one()
    sources = session.exec(select(func.count(distinct(col(Commentary.source))))).one()
    mentions, symbols = session.exec(
        select(func.count(col(Mention.id)), func.count(distinct(col(Mention.symbol))))
    ).one()
    counts = Counts(
        commentaries=total,
        dated=dated,
        undated=total - dated,
        mentions=mentions,
        instruments_mentioned=symbols,
        sources=sources,
    )
    return counts, DateRange(first=first, last=last)


def _revisions(session: Session) -> dict[int, int]:
    rows = session.exec(select(Commentary.id, Commentary.revision))
    return {int(i): int(rev) for i, rev in rows if i is not None}


def _last_run(session: Session) -> LastRun | None:
    run = session.exec(select(IngestRun).order_by(col(IngestRun.id).desc()).limit(1)).first()
    if run is None or run.id is None:
        return None
    return LastRun(
        id=run.id,
        started_at=run.started_at,
        finished_at=run.finished_at,
        status=run.status,
        paths=[p for p in run.paths.split("\n") if p],
        added=run.added,
        updated=run.updated,
        unchanged=run.unchanged,
        duplicate=run.duplicate,
        failed=run.failed,
        pruned=run.pruned,
    )


def _index(settings: Settings, in_db: dict[int, int]) -> IndexStatus:
    backend = open_backend(settings)
    try:
        state, revisions = backend.status(), backend.revisions()
    finally:
        backend.close()
    lagging = sum(1 for i, rev in in_db.items() if revisions.get(i) != rev)
    extra = len(set(revisions) - set(in_db))
    return IndexStatus(
        engine=settings.search_backend,
        directory=str(settings.resolved_index_dir) if settings.index_in_files else None,
        generation=state.generation,
        created=state.created,
        documents=state.documents,
        database_documents=len(in_db),
        up_to_date=state.problem is None and lagging == 0 and extra == 0,
        lagging=lagging,
        extra=extra,
        problem=state.problem,
    )
