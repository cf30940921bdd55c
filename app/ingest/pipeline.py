"""The ingest run: read every file, analyse what is new or changed in a pool of processes,
store it, and put it into the index as it is stored; then bring the index level with the
database. Safe to re-run; one writer at a time; each record is stored or refused alone."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict, deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any, cast

from sqlalchemy.engine import Engine
from sqlalchemy.orm import QueryableAttribute, defer
from sqlmodel import Session, col, select

from app.config import Settings
from app.db import make_engine, upgrade
from app.ingest.analyse import Analysis, analyse_chunk, analyse_texts
from app.ingest.basis import Basis, current_basis, record_basis, stored_basis
from app.ingest.discovery import discover
from app.ingest.limits import Limits
from app.ingest.lock import Waiting, writer_lock
from app.ingest.prepare import PrepareError
from app.ingest.readers import Failure, Record, count_records, read
from app.ingest.reanalysis import Plan, plan, touched
from app.ingest.report import FileResult, IngestReport, Reanalysis, printable
from app.ingest.store import RecordStore
from app.instruments import Dictionary, prepare_analysis, sync_instruments
from app.models import Commentary, IngestFile, IngestRun, Outcome, utcnow
from app.parallel import ProcessMap
from app.search import (
    Indexable,
    IndexWriter,
    Preparer,
    RowWriter,
    SearchBackend,
    Synced,
    document,
    open_backend,
    sync_index,
)

COMMIT_EVERY = 200
CHECK_EVERY = 256  # records looked up at once to skip the unchanged ones


class Progress:
    """Hooks a front end can override to show progress; the default shows nothing."""

    def phase(self, name: str, total: int | None) -> None:
        pass

    def advance(self, steps: int = 1) -> None:
        pass

    def waiting(self, waiting: Waiting) -> None:
        """Another ingest holds the writer lock: this one waits for it."""


def prepare_search(settings: Settings) -> Dictionary:
    """Load the instrument dictionary and point jieba at it and at the data folder's cache."""
    return prepare_analysis(settings.data_dir.resolve())


def _pool(settings: Settings) -> ProcessMap:
    return ProcessMap(initializer=prepare_analysis, initargs=(settings.data_dir.resolve(),))


def ingest(
    settings: Settings,
    paths: Iterable[Path],
    *,
    prune: bool = False,
    rebuild_index: bool = False,
    reanalyse: bool = False,
    progress: Progress | None = None,
    today: dt.date | None = None,
) -> IngestReport:
    """Store what ``paths`` hold. First, when the dictionary or the analysis changed
    since the last ingest (or ``reanalyse`` asks), re-analyse the stored commentaries the
    change touches (``reanalysis``)."""
    progress = progress or Progress()
    today = today or dt.date.today()
    paths = list(paths)
    settings.ensure_dirs()
    with writer_lock(settings.lock_file, settings.lock_timeout, progress.waiting):
        upgrade(settings)
        dictionary = prepare_search(settings)
        engine = make_engine(settings)
        backend = open_backend(settings)
        try:
            report = IngestReport()
            run_id, report.interrupted_runs = _start_run(engine, paths)
            with Session(engine) as session:
                sync_instruments(session, dictionary)
                basis = current_basis(dictionary)
                todo = plan(stored_basis(session), basis, dictionary, stored_any=_any(session))
                if not todo.needed:
                    # What this run stores is analysed on this basis, even if it stops.
                    record_basis(session, basis)
                    session.commit()
            if reanalyse:
                todo = Plan("asked for (--reanalyse)", todo.changes)
            # Every document is written again: into a new index, not over the old one
            # (an index of rows in the database is rewritten row by row as it goes).
            anew = todo.everything is not None and backend.rows is None
            writer = backend.writer(rebuild=rebuild_index or anew)
            with _pool(settings) as pool:
                try:
                    limits = Limits.from_settings(settings)
                    run = _Run(
                        engine,
                        _Index(writer, backend.preparer, backend.rows),
                        report,
                        progress,
                        dictionary,
                        today,
                        pool,
                        limits,
                    )
                    if todo.needed:
                        report.reanalysis = run.reanalyse(todo)
                    seen = run.store_all(paths)
                    if prune:
                        _prune(engine, seen, report)
                    done = _sync(backend, writer, engine, pool, progress)
                except BaseException:
                    writer.cancel()
                    raise
            report.indexed, report.index_rebuilt, report.index_note = (
                done.indexed + (0 if done.rebuilt else run.rows_written),
                done.rebuilt,
                done.reason,
            )
            _finish_run(engine, run_id, report, basis)
            report.run_id = run_id
            return report
        finally:
            backend.close()
            engine.dispose()


def reindex(settings: Settings, progress: Progress | None = None) -> IngestReport:
    """Rebuild the whole index from the database and swap it in."""
    settings.ensure_dirs()
    progress = progress or Progress()
    with writer_lock(settings.lock_file, settings.lock_timeout, progress.waiting):
        upgrade(settings)
        prepare_search(settings)
        engine = make_engine(settings)
        backend = open_backend(settings)
        try:
            report = IngestReport()
            with _pool(settings) as pool:
                done = _sync(backend, backend.writer(rebuild=True), engine, pool, progress)
            report.indexed, report.index_rebuilt = done.indexed, done.rebuilt
            report.index_note = done.reason
            return report
        finally:
            backend.close()
            engine.dispose()


def _sync(
    backend: SearchBackend,
    writer: IndexWriter,
    engine: Engine,
    pool: ProcessMap,
    progress: Progress,
) -> Synced:
    """Bring the index level with the database (``sync_index``), showing its progress."""
    return sync_index(
        writer,
        engine,
        preparer=backend.preparer,
        pool=pool,
        progress=progress.advance,
        total=lambda n: progress.phase("indexing", n),
    )


def _start_run(engine: Engine, paths: list[Path]) -> tuple[int, list[int]]:
    """Record a new run; mark the runs still marked running as interrupted (the writer
    lock says none of them is alive) and return their ids."""
    with Session(engine) as session:
        interrupted = []
        stale_runs = select(IngestRun).where(IngestRun.status == "running").order_by("id")
        for stale in session.exec(stale_runs):
            stale.status = "interrupted"
            session.add(stale)
            assert stale.id is not None
            interrupted.append(stale.id)
        run = IngestRun(paths="\n".join(printable(str(p)) for p in paths))
        session.add(run)
        session.commit()
        assert run.id is not None
        return run.id, interrupted


def _any(session: Session) -> bool:
    return session.exec(select(Commentary.id).limit(1)).first() is not None


def _finish_run(engine: Engine, run_id: int, report: IngestReport, basis: Basis) -> None:
    """Mark the run completed, and record ``basis`` as what the stored analysis now
    stands on (the index is level with the database by now)."""
    with Session(engine) as session:
        record_basis(session, basis)
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


@dataclass(frozen=True, slots=True)
class _Index:
    """The index one run writes to, and how its documents are prepared ahead."""

    writer: IndexWriter
    preparer: Preparer | None
    # Set when the engine's index is rows of the database, written with each commentary.
    rows: RowWriter | None


@dataclass(frozen=True, slots=True)
class _Todo:
    seq: int  # the record's place in the input
    record: Record
    known_id: int | None  # the commentary it is stored as already


class _Run:
    """One pass over the input: read, skip the unchanged, analyse, store, index."""

    def __init__(
        self,
        engine: Engine,
        index: _Index,
        report: IngestReport,
        progress: Progress,
        dictionary: Dictionary,
        today: dt.date,
        pool: ProcessMap,
        limits: Limits,
    ) -> None:
        self.engine, self.index, self.report, self.progress = engine, index, report, progress
        self.dictionary, self.today, self.pool, self.limits = dictionary, today, pool, limits
        # Per JSONL file read, the record keys it still holds (for --prune).
        self.seen: dict[str, set[str]] = defaultdict(set)
        self.results: list[tuple[int, FileResult]] = []
        # Index rows written with their commentaries (an index kept in the database).
        self.rows_written = 0

    def _note(self, seq: int, result: FileResult) -> None:
        self.results.append((seq, result))
        self.progress.advance()

    def _records(self, paths: list[Path]) -> Iterator[tuple[int, Record]]:
        """Each record with its place in the input, which orders the report."""
        seq = 0
        for item in discover(paths):
            if item.problem is not None:
                self._note(seq, FileResult(str(item.path), Outcome.FAILED, item.problem))
                seq += 1
                continue
            for record in read(item.path, self.limits):
                if isinstance(record, Failure):
                    self._note(seq, FileResult(record.label, Outcome.FAILED, record.reason))
                else:
                    self.seen[str(record.path.resolve())].add(record.key)
                    yield seq, record
                seq += 1

    def _to_analyse(
        self, records: Iterator[tuple[int, Record]], store: RecordStore
    ) -> Iterator[_Todo]:
        """The records that need work, with the id they are stored under if any; the
        unchanged are reported and passed over without being analysed (looked up a
        batch at a time)."""
        batch: list[tuple[int, Record]] = []

        def flush() -> Iterator[_Todo]:
            known = store.lookup([record for _, record in batch])
            for seq, record in batch:
                ident, stamp = known.get(record.key, (None, None))
                if ident is not None and stamp == store.stamp(record.fingerprint):
                    self._note(seq, FileResult(record.label, Outcome.UNCHANGED, id=ident))
                else:
                    yield _Todo(seq, record, ident)
            batch.clear()

        for item in records:
            batch.append(item)
            if len(batch) >= CHECK_EVERY:
                yield from flush()
        yield from flush()

    def store_all(self, paths: list[Path]) -> dict[str, set[str]]:
        self.progress.phase(
            "reading", sum(count_records(f.path, self.limits) for f in discover(paths))
        )
        with Session(self.engine, expire_on_commit=False) as session:
            store = RecordStore(session, self.dictionary, self.limits, self.index.rows)
            todo: deque[_Todo] = deque()  # in analysis, in read order

            def queued() -> Iterator[Record]:
                for item in self._to_analyse(self._records(paths), store):
                    todo.append(item)
                    yield item.record

            work = partial(analyse_chunk, today=self.today, preparer=self.index.preparer)
            ready: list[tuple[Indexable, Analysis]] = []
            for outcome in self.pool.map(work, queued()):
                item = todo.popleft()
                if isinstance(outcome, PrepareError):
                    self._note(
                        item.seq, FileResult(item.record.label, Outcome.FAILED, str(outcome))
                    )
                    continue
                stored = store.store(item.record, outcome, item.known_id)
                self._note(item.seq, stored.result.with_notes(outcome.prepared.notes))
                if stored.changed is not None:
                    ready.append((stored.changed, outcome))
                if len(ready) >= COMMIT_EVERY:
                    self._commit(session, ready)
            self._commit(session, ready)
        for _, result in sorted(self.results, key=lambda pair: pair[0]):
            self.report.add(result)
        return self.seen

    def reanalyse(self, todo: Plan) -> Reanalysis:
        """Re-analyse the stored commentaries ``todo`` touches, storing what changed and
        writing their index documents."""
        self.progress.phase("scanning", None)
        ids, looked_at = touched(self.engine, todo, self.pool)
        done = Reanalysis(todo.everything, list(todo.changes), looked_at, ids)
        self.progress.phase("re-analysing", len(ids))
        with Session(self.engine, expire_on_commit=False) as session:
            store = RecordStore(session, self.dictionary, self.limits, self.index.rows)
            stored: deque[Commentary] = deque()

            def texts() -> Iterator[tuple[str, str]]:
                for commentary in _stored(session, ids):
                    stored.append(commentary)
                    yield commentary.title, commentary.body

            work = partial(analyse_texts, preparer=self.index.preparer)
            ready: list[tuple[Indexable, Analysis]] = []
            for analysis in self.pool.map(work, texts(), size_hint=len(ids)):
                commentary = stored.popleft()
                result = store.reanalysed(commentary, analysis)
                self.progress.advance()
                if result.problem is not None:
                    done.failed.append((result.id, result.problem))
                    continue
                done.count(result.id, result.added, result.removed)
                ready.append((commentary, analysis))
                if len(ready) >= COMMIT_EVERY:
                    self._commit(session, ready)
            self._commit(session, ready)
        return done

    def _commit(self, session: Session, ready: list[tuple[Indexable, Analysis]]) -> None:
        """Commit the database, then index what it now holds: the index never gets ahead
        of the database, and what a crash leaves out the next run's sync puts in. An
        index of rows in the database was written with each commentary, and commits
        with it."""
        session.commit()
        if self.index.rows is not None:
            self.rows_written += len(ready)
            ready.clear()
            return
        self.index.writer.put(
            document(commentary, {f.symbol for f in analysed.mentions}, analysed.index_ready)
            for commentary, analysed in ready
        )
        ready.clear()


def _stored(session: Session, ids: list[int]) -> Iterator[Commentary]:
    """The commentaries ``ids``, a batch at a time, without their raw text."""
    text_only = defer(cast(QueryableAttribute[Any], Commentary.raw_text))
    for start in range(0, len(ids), COMMIT_EVERY):
        chunk = ids[start : start + COMMIT_EVERY]
        rows = session.exec(
            select(Commentary).where(col(Commentary.id).in_(chunk)).options(text_only)
        )
        by_id = {commentary.id: commentary for commentary in rows}
        yield from (by_id[i] for i in chunk if i in by_id)


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
