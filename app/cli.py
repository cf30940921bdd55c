"""The ``archive`` command. Commands parse options and print; the work lives in
``app.ingest`` and ``app.search``."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, TaskID, TextColumn, TimeElapsedColumn
from rich.progress import Progress as RichProgress
from rich.table import Table

from app.config import Settings, get_settings
from app.ingest import IngestLocked, IngestReport, ingest, reindex
from app.ingest.lock import Waiting
from app.ingest.pipeline import Progress
from app.ingest.reanalysis import Upcoming
from app.ingest.report import Reanalysis
from app.ingest.status import ArchiveStatus, archive_status
from app.instruments import DictionaryError, load, user_file
from app.instruments.catalog import MARKERS, USER_ALIAS_FILE

cli = typer.Typer(
    help="Commentary Archive: ingest commentaries, keep the index, serve the site.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    # Plain help: typer's rich help shows every flag with a "<bool>" value it never takes.
    rich_markup_mode=None,
)
err = Console(stderr=True)
INTERRUPTED = (
    "interrupted: what was committed is kept; the next `archive ingest` finishes the index"
)
out = Console()


class BarProgress(Progress):
    """A progress bar on the terminal; silent when stderr is not a terminal."""

    def __init__(self, bar: RichProgress) -> None:
        self.bar = bar
        self.task: TaskID | None = None

    def phase(self, name: str, total: int | None) -> None:
        if self.task is not None:
            self.bar.remove_task(self.task)
        self.task = self.bar.add_task(name, total=total)

    def advance(self, steps: int = 1) -> None:
        if self.task is not None:
            self.bar.advance(self.task, steps)

    def waiting(self, waiting: Waiting) -> None:
        # Said at once, terminal or not: a silent wait looks like a hang.
        err.print(str(waiting), markup=False, highlight=False, soft_wrap=True)


def _bar() -> RichProgress:
    return RichProgress(
        TextColumn("{task.description:>9}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=True,
        disable=not sys.stderr.isatty(),
    )


def _say(line: str) -> None:
    out.print(line, markup=False, highlight=False, soft_wrap=True)


def reanalysis_lines(done: Reanalysis) -> list[str]:
    """What re-analysing stored commentaries did, as ``archive ingest`` says it."""
    if done.everything is not None:
        lines = [f"re-analysed every commentary: {done.everything}"]
    else:
        lines = ["the dictionary changed since the last ingest:"]
    lines += [f"  {change}" for change in done.changes]
    if done.everything is None:
        lines.append(
            f"re-analysed {done.reanalysed:,} of {done.looked_at:,} commentaries (those "
            f"holding a changed entry); {done.changed:,} found other mentions"
        )
    else:
        lines.append(f"{done.changed:,} of {done.reanalysed:,} found other mentions")
    for symbol, change in sorted(done.by_symbol.items()):
        lines.append(
            f"  {symbol}: +{change.added:,} -{change.removed:,} mentions in "
            f"{change.commentaries:,} "
            + ("commentary" if change.commentaries == 1 else "commentaries")
        )
    lines += [f"  commentary {ident} failed: {why}" for ident, why in done.failed]
    return lines


def _summary(report: IngestReport) -> None:
    if report.reanalysis is not None:
        for line in reanalysis_lines(report.reanalysis):
            _say(line)
    for run_id in report.interrupted_runs:
        out.print(
            f"run {run_id} was interrupted: what it committed is kept, and the index is "
            "brought level with the database below",
            markup=False,
            highlight=False,
        )
    table = Table(title="ingest summary", show_lines=False)
    table.add_column("outcome")
    table.add_column("files", justify="right")
    for outcome, count in report.counts.items():
        table.add_row(outcome, str(count))
    out.print(table)
    for result in report.files:
        # Refusals say why; stored files say what had to be repaired (notes).
        if result.reason:
            out.print(
                f"{result.outcome:>9}  {result.path}: {result.reason}",
                markup=False,
                highlight=False,
            )
    note = f"; {report.index_note}" if report.index_note else ""
    action = "rebuilt" if report.index_rebuilt else "updated"
    out.print(
        f"index {action}: {report.indexed} documents written{note}", markup=False, highlight=False
    )


@cli.command("ingest")
def ingest_command(
    paths: Annotated[
        list[Path],
        typer.Argument(help="Files or folders (searched recursively) to ingest.", exists=True),
    ],
    prune: Annotated[
        bool,
        typer.Option(
            "--prune/--no-prune",
            help="Remove commentaries whose origin file (or JSON Lines line) is gone.",
        ),
    ] = False,
    report_json: Annotated[
        Path | None,
        typer.Option("--report-json", help="Write per-file outcomes and counts to this JSON file."),
    ] = None,
    rebuild: Annotated[
        bool,
        typer.Option(
            "--rebuild/--no-rebuild",
            help="Rebuild the whole search index into a new generation afterwards.",
        ),
    ] = False,
    reanalyse: Annotated[
        bool,
        typer.Option(
            "--reanalyse",
            help=(
                "Re-analyse every stored commentary (mentions and index words), not only "
                "those a change of the dictionary touches."
            ),
        ),
    ] = False,
) -> None:
    """Read commentary files (.txt, .md, .html, .jsonl) into the archive and the index.
    When the instrument lists, aliases.csv, the stop lists or the synonym table changed
    since the last ingest, the stored commentaries the change touches are re-analysed
    first."""
    settings = _settings()
    try:
        with _bar() as bar:
            report = ingest(
                settings,
                paths,
                prune=prune,
                rebuild_index=rebuild,
                reanalyse=reanalyse,
                progress=BarProgress(bar),
            )
    except (IngestLocked, DictionaryError) as exc:
        err.print(f"error: {exc}", markup=False, highlight=False)
        raise typer.Exit(1) from None
    except KeyboardInterrupt:
        err.print(INTERRUPTED, markup=False, highlight=False)
        raise typer.Exit(130) from None
    _summary(report)
    if report_json is not None:
        report.write_json(report_json)
    raise typer.Exit(report.exit_code)


def _settings(**overrides: object) -> Settings:
    """The settings from the environment (with ``overrides``); a bad one is said once,
    plainly, and the command exits 1."""
    from pydantic import ValidationError

    try:
        return Settings(**overrides) if overrides else get_settings()  # type: ignore[arg-type]
    except ValidationError as exc:
        for problem in exc.errors():
            cause = problem.get("ctx", {}).get("error")
            name = "ARCHIVE_" + "_".join(str(p) for p in problem["loc"]).upper()
            message = str(cause) if cause is not None else f"{name}: {problem['msg']}"
            err.print(f"error: {message}", markup=False, highlight=False, soft_wrap=True)
        raise typer.Exit(1) from None


@cli.command("reindex")
def reindex_command(
    backend: Annotated[
        str | None,
        typer.Option(
            help=(
                "Build the index of this search engine (whoosh or postgres) instead of "
                "the one ARCHIVE_SEARCH_BACKEND names: how an archive switches engines."
            )
        ),
    ] = None,
) -> None:
    """Rebuild the search index from the database and swap it in atomically."""
    settings = _settings(search_backend=backend) if backend else _settings()
    try:
        with _bar() as bar:
            report = reindex(settings, BarProgress(bar))
    except (IngestLocked, DictionaryError) as exc:
        err.print(f"error: {exc}", markup=False, highlight=False)
        raise typer.Exit(1) from None
    note = f"; {report.index_note}" if report.index_note else ""
    out.print(f"index rebuilt: {report.indexed} documents{note}", markup=False, highlight=False)
    if backend and settings.search_backend != _settings().search_backend:
        out.print(
            f"to search with it, set ARCHIVE_SEARCH_BACKEND={settings.search_backend} for "
            "`archive serve` and `archive ingest`",
            markup=False,
            highlight=False,
        )


@cli.command("serve")
def serve_command(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    workers: Annotated[int, typer.Option(help="Number of worker processes.")] = 1,
) -> None:
    """Serve the web site and JSON API (read-only)."""
    import uvicorn

    # A bad setting or alias file is said once here, not as a traceback per worker.
    settings = _settings()
    try:
        load(None, user_file(settings.data_dir))
    except DictionaryError as exc:
        err.print(f"error: {exc}", markup=False, highlight=False)
        raise typer.Exit(1) from None

    # X-Forwarded-For/-Proto are believed only from the proxies ARCHIVE_TRUSTED_PROXIES
    # names (uvicorn would otherwise believe any local client). No header ever makes a
    # link: those come from ARCHIVE_BASE_URL.
    trusted = settings.trusted_proxies
    uvicorn.run(
        "app.web.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        proxy_headers=trusted is not None,
        forwarded_allow_ips=trusted or "",
    )


@cli.command("stats")
def stats_command(
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the same figures as one JSON object.")
    ] = False,
) -> None:
    """Show what the archive holds, how the index stands and what the last ingest did
    (exit code 1 when the database cannot be read)."""
    try:
        status = archive_status(_settings())
    except DictionaryError as exc:
        err.print(f"error: {exc}", markup=False, highlight=False)
        raise typer.Exit(1) from None
    if as_json:
        out.print_json(status.model_dump_json())
    else:
        for line in stats_lines(status):
            out.print(line, markup=False, highlight=False, soft_wrap=True)
    if status.database_problem:
        raise typer.Exit(1)


@cli.command("inspect")
def inspect_command(
    text: Annotated[
        str | None,
        typer.Argument(
            metavar="TEXT", help="The text to inspect (read as a .txt file holding it)."
        ),
    ] = None,
    file: Annotated[
        Path | None,
        typer.Option(
            "--file", help="Inspect the commentary this file holds, read as ingest reads it."
        ),
    ] = None,
    commentary_id: Annotated[
        int | None, typer.Option("--id", help="Inspect the stored commentary with this id.")
    ] = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the same as one JSON object.")
    ] = False,
) -> None:
    """Show what the archive makes of a text: its normalised form, the words the index
    stores, every candidate mention with its evidence and verdict, what a query for each
    word expands to, and the title and date rules that fired."""
    from app.ingest.limits import Limits
    from app.ingest.pipeline import prepare_search
    from app.inspection import (
        InspectError,
        inspect_commentary,
        inspect_file,
        inspect_text,
        inspection_lines,
    )

    given = [
        name
        for name, value in (("TEXT", text), ("--file", file), ("--id", commentary_id))
        if value is not None
    ]
    if len(given) != 1:
        which = "nothing" if not given else " and ".join(given)
        err.print(
            f"error: give one of TEXT, --file PATH or --id N (got {which})",
            markup=False,
            highlight=False,
        )
        raise typer.Exit(1)
    settings = _settings()
    today = dt.date.today()
    try:
        dictionary = prepare_search(settings)
        if text is not None:
            report = inspect_text(text, dictionary, today)
        elif file is not None:
            report = inspect_file(file, dictionary, today, Limits.from_settings(settings))
        else:
            assert commentary_id is not None
            report = inspect_commentary(settings, commentary_id, dictionary, today)
    except (InspectError, DictionaryError) as exc:
        err.print(f"error: {exc}", markup=False, highlight=False, soft_wrap=True)
        raise typer.Exit(1) from None
    if as_json:
        out.print_json(report.model_dump_json())
        return
    for line, style in inspection_lines(report):
        out.print(line, style=style, markup=False, highlight=False, soft_wrap=True)


aliases_cli = typer.Typer(
    help=(
        "List, add and remove the names you teach the archive (aliases.csv in the data "
        "folder). Each command says what the next `archive ingest` will re-analyse."
    ),
    no_args_is_help=True,
    rich_markup_mode=None,
)
cli.add_typer(aliases_cli, name="aliases")


def _alias_file(settings: Settings) -> Path:
    return settings.data_dir / USER_ALIAS_FILE


def _upcoming(settings: Settings) -> Upcoming:
    """What the next ingest will re-analyse, with the alias file as it is now."""
    from app.ingest.pipeline import prepare_search
    from app.ingest.reanalysis import upcoming

    return upcoming(settings, prepare_search(settings))


def upcoming_lines(coming: Upcoming) -> list[str]:
    """What the next ingest will re-analyse, as the alias commands say it."""
    todo = coming.plan
    if coming.stored == 0:
        return [
            "the archive holds no commentary yet: the next `archive ingest` analyses what "
            "it reads with these aliases"
        ]
    if todo.everything is not None:
        return [f"the next `archive ingest` re-analyses every commentary: {todo.everything}"]
    if not todo.needed:
        lines = [
            "the archive is analysed with these aliases: the next `archive ingest` "
            "re-analyses nothing"
        ]
        return lines + [f"  {change}" for change in todo.changes]
    return [
        f"the next `archive ingest` re-analyses {coming.touched:,} of {coming.stored:,} "
        "commentaries, those holding a changed entry:",
        *(f"  {change}" for change in todo.changes),
    ]


def _alias_change(symbol: str, aliases: list[str], adding: bool) -> None:
    from app.instruments import user_aliases

    settings = _settings()
    path = _alias_file(settings)
    try:
        dictionary = load(None, user_file(settings.data_dir))
        entries = user_aliases.read(path)
        done: list[user_aliases.UserAlias] = []
        for alias in aliases:
            if adding:
                if any(e.alias == alias.strip().lstrip(MARKERS) for e in done):
                    continue
                entries, entry = user_aliases.add(dictionary, entries, symbol, alias)
            else:
                entries, entry = user_aliases.remove(dictionary, entries, symbol, alias)
            done.append(entry)
        user_aliases.write(path, entries, dictionary)
    except (user_aliases.AliasError, DictionaryError) as exc:
        err.print(f"error: {exc}", markup=False, highlight=False, soft_wrap=True)
        raise typer.Exit(1) from None
    verb = "added to" if adding else "removed from"
    for entry in done:
        _say(f"{entry.written} {verb} {entry.symbol} in {path}")
    for line in upcoming_lines(_upcoming(settings)):
        _say(line)


@aliases_cli.command("add")
def aliases_add_command(
    symbol: Annotated[
        str, typer.Argument(help="The instrument, by symbol or code (1810.HK, 1810).")
    ],
    aliases: Annotated[
        list[str],
        typer.Argument(help="Names to add; mark one '?' to count it only next to a code."),
    ],
) -> None:
    """Teach the archive names of an instrument. A name that is stop-listed, or that names
    another company already (unless marked '?'), is refused."""
    _alias_change(symbol, aliases, adding=True)


@aliases_cli.command("remove")
def aliases_remove_command(
    symbol: Annotated[str, typer.Argument(help="The instrument, by symbol or code.")],
    aliases: Annotated[list[str], typer.Argument(help="Names to remove from aliases.csv.")],
) -> None:
    """Remove names you taught the archive (those of the instrument lists stay)."""
    _alias_change(symbol, aliases, adding=False)


@aliases_cli.command("list")
def aliases_list_command(
    as_json: Annotated[
        bool,
        typer.Option("--json", help="Print the entries and what the next ingest does as JSON."),
    ] = False,
) -> None:
    """Show the names you taught the archive and what the next ingest will re-analyse."""
    import json

    from app.instruments import user_aliases

    settings = _settings()
    path = _alias_file(settings)
    try:
        dictionary = load(None, user_file(settings.data_dir))
        entries = user_aliases.read(path)
    except DictionaryError as exc:
        err.print(f"error: {exc}", markup=False, highlight=False, soft_wrap=True)
        raise typer.Exit(1) from None
    coming = _upcoming(settings)
    if as_json:
        rows = [
            {
                "symbol": e.symbol,
                "alias": e.alias,
                "marker": e.marker,
                "name": dictionary.by_symbol[e.symbol].name_zh
                or dictionary.by_symbol[e.symbol].name,
            }
            for e in entries
        ]
        print(
            json.dumps(
                {"file": str(path), "aliases": rows, "next_ingest": coming.as_dict()},
                ensure_ascii=False,
                indent=2,
            )
        )
        return
    if not entries:
        _say(f"no aliases in {path}")
    else:
        table = Table(title=str(path))
        for column in ("symbol", "alias", "instrument"):
            table.add_column(column)
        for e in entries:
            found = dictionary.by_symbol[e.symbol]
            table.add_row(e.symbol, e.written, found.name_zh or found.name)
        out.print(table)
    for line in upcoming_lines(coming):
        _say(line)


def stats_lines(status: ArchiveStatus) -> list[str]:
    """``archive stats`` as text, one figure a line."""
    counts, dates, index, run = status.counts, status.dates, status.index, status.last_run
    lines = [
        f"data directory:   {status.data_dir}",
        f"database:         {status.database_url}",
    ]
    if status.database_problem:
        lines.append(f"database problem: {status.database_problem}")
    lines += [
        f"commentaries:     {counts.commentaries:,} ({counts.dated:,} dated, "
        f"{counts.undated:,} undated)",
        f"mentions:         {counts.mentions:,}",
        f"instruments:      {counts.instruments_mentioned:,} with mentions",
        f"sources:          {counts.sources:,}",
        f"dates:            {_day(dates.first)} to {_day(dates.last)}",
        f"index:            {index.engine}, "
        + (index.directory if index.directory else "in the database"),
    ]
    if index.directory:
        lines.append(
            f"index generation: {index.generation or 'none'}"
            + (f" (created {index.created})" if index.created else "")
        )
    lines += [
        f"index documents:  {index.documents:,} of {index.database_documents:,} in the database",
    ]
    if index.problem:
        state = index.problem
    elif index.up_to_date:
        state = "up to date"
    else:
        behind = [f"{index.lagging:,} missing or older"] if index.lagging else []
        behind += [f"{index.extra:,} no longer in the database"] if index.extra else []
        state = (
            f"behind the database ({', '.join(behind)}): run `archive ingest` or `archive reindex`"
        )
    lines.append(f"index state:      {state}")
    analysis = status.analysis
    if analysis.everything is not None:
        lines.append(
            f"analysis:         the next `archive ingest` re-analyses every commentary: "
            f"{analysis.everything}"
        )
    elif not analysis.up_to_date:
        lines.append(
            "analysis:         the dictionary changed since the last ingest: the next "
            "`archive ingest` re-analyses the commentaries holding"
        )
        lines += [f"                  {change}" for change in analysis.changes]
    else:
        lines.append("analysis:         up to date")
    if run is None:
        lines.append("last ingest:      none yet")
    else:
        finished = f", finished {_moment(run.finished_at)}" if run.finished_at else ""
        lines += [
            f"last ingest:      run {run.id}, {run.status}, started {_moment(run.started_at)}"
            f"{finished}",
            f"                  {run.added:,} added, {run.updated:,} updated, "
            f"{run.unchanged:,} unchanged, {run.duplicate:,} duplicate, {run.failed:,} failed, "
            f"{run.pruned:,} pruned",
        ]
        lines += [f"                  from {path}" for path in run.paths]
    return lines


def _day(day: dt.date | None) -> str:
    return day.isoformat() if day is not None else "none"


def _moment(moment: dt.datetime) -> str:
    return f"{moment:%Y-%m-%d %H:%M:%S} UTC"


def main() -> None:
    cli()


if __name__ == "__main__":
    main()
