"""The ingest run: read every file, store what is new or changed, then bring the index
in step. Safe to re-run; one writer at a time; each record is stored or refused alone."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from app.config import Settings
from app.db import make_engine, upgrade
from app.ingest.discovery import discover
from app.ingest.lock import writer_lock
from app.ingest.readers import Failure, read
from app.ingest.report import FileResult, IngestReport
from app.ingest.store import RecordStore
from app.instruments import Dictionary, prepare_analysis, sync_instruments
from app.models import Commentary, IngestFile, IngestRun, Outcome, utcnow
from app.search import rebuild, sync

COMMIT_EVERY = 200


class Progress:
    """Hooks a front end can override to show progress; the default shows nothing."""

    def phase(self, name: str, total: int | None) -> None:
        pass

    def advance(self, steps: int = 1) -> None:
        pass


def prepare_search(settings: Settings) -> Dictionary:
    """Load the instrument dictionary and point jieba at it and at the data folder's cache."""
    return prepare_analysis(settings.data_dir.resolve())


def ingest(
    settings: Settings,
    paths: Iterable[Path],
    *,
    prune: bool = False,
    rebuild_index: bool = False,
    progress: Progress | None = None,
    today: dt.date | None = None,
) -> IngestReport:
    progress = progress or Progress()
    today = today or dt.date.today()
    paths = list(paths)
    settings.ensure_dirs()
    with writer_lock(settings.lock_file, settings.lock_timeout):
        upgrade(settings)
        dictionary = prepare_search(settings)
        engine = make_engine(settings)
        try:
            report = IngestReport()
            run_id = _start_run(engine, paths)
            with Session(engine) as session:
                sync_instruments(session, dictionary)
            seen = _store_all(engine, paths, report, progress, dictionary, today)
            if prune:
                _prune(engine, seen, report)
            _index(engine, settings, report, progress, rebuild_index)
            _finish_run(engine, run_id, report)
            report.run_id = run_id
            return report
        finally:
            engine.dispose()


def reindex(settings: Settings, progress: Progress | None = None) -> IngestReport:
    """Rebuild the whole index from the database and swap it in."""
    settings.ensure_dirs()
    with writer_lock(settings.lock_file, settings.lock_timeout):
        upgrade(settings)
        prepare_search(settings)
        engine = make_engine(settings)
        try:
            report = IngestReport()
            _index(engine, settings, report, progress or Progress(), rebuild_index=True)
            return report
        finally:
            engine.dispose()


def _count(engine: Engine) -> int:
    with Session(engine) as session:
        return len(session.exec(select(Commentary.id)).all())


def _index(
    engine: Engine,
    settings: Settings,
    report: IngestReport,
    progress: Progress,
    rebuild_index: bool,
) -> None:
    progress.phase("indexing", _count(engine) if rebuild_index else None)
    index_dir = settings.resolved_index_dir
    done = (
        rebuild(engine, index_dir, progress.advance)
        if rebuild_index
        else sync(engine, index_dir, progress.advance)
    )
    report.indexed, report.index_rebuilt, report.index_note = (
        done.indexed,
        done.rebuilt,
        done.reason,
    )


def _start_run(engine: Engine, paths: list[Path]) -> int:
    with Session(engine) as session:
        # A run still marked running was cut off (crash, kill): say so.
        for stale in session.exec(select(IngestRun).where(IngestRun.status == "running")):
            stale.status = "interrupted"
            session.add(stale)
        run = IngestRun(paths="\n".join(str(p) for p in paths))
        session.add(run)
        session.commit()
        assert run.id is not None
        return run.id


def _finish_run(engine: Engine, run_id: int, report: IngestReport) -> None:
    with Session(engine) as session:
        run = session.get(IngestRun, run_id)
        assert run is not None
        for name, value in report.counts.items():
            setattr(run, name, value)
        run.status = "completed"
        run.finished_at = utcnow()
        session.add(run)
        session.add_all(
            IngestFile(
                run_id=run_id, path=r.path, outcome=r.outcome, reason=r.reason, commentary_id=r.id
            )
            for r in report.files
        )
        session.commit()


def _store_all(
    engine: Engine,
    paths: list[Path],
    report: IngestReport,
    progress: Progress,
    dictionary: Dictionary,
    today: dt.date,
) -> dict[str, set[str]]:
    """Store every record; returns, per JSONL file read, the record keys it still holds."""
    found = list(discover(paths))
    progress.phase("reading", len(found))
    seen: dict[str, set[str]] = defaultdict(set)
    pending = 0
    with Session(engine, expire_on_commit=False) as session:
        store = RecordStore(session, dictionary, today)
        for item in found:
            if item.problem is not None:
                report.add(FileResult(str(item.path), Outcome.FAILED, item.problem))
            else:
                for record in read(item.path):
                    if isinstance(record, Failure):
                        report.add(FileResult(record.label, Outcome.FAILED, record.reason))
                        continue
                    seen[str(record.path.resolve())].add(record.key)
                    report.add(store.store(record))
                    pending += 1
                    if pending >= COMMIT_EVERY:
                        session.commit()
                        pending = 0
            progress.advance()
        session.commit()
    return seen


def _prune(engine: Engine, seen: dict[str, set[str]], report: IngestReport) -> None:
    """Remove commentaries whose file is gone, or whose JSONL line no longer exists."""
    with Session(engine) as session:
        rows = session.exec(select(Commentary.id, Commentary.origin_path, Commentary.origin_key))
        doomed = []
        for commentary_id, origin_path, origin_key in rows:
            gone = not Path(origin_path).exists()
            dropped_line = origin_path in seen and origin_key not in seen[origin_path]
            if gone or (dropped_line and origin_path.endswith(".jsonl")):
                doomed.append(commentary_id)
                report.add(
                    FileResult(
                        origin_key,
                        Outcome.PRUNED,
                        "origin file is gone" if gone else "line removed",
                        commentary_id,
                    )
                )
        if doomed:
            for commentary in session.exec(
                select(Commentary).where(col(Commentary.id).in_(doomed))
            ):
                session.delete(commentary)
            session.commit()
