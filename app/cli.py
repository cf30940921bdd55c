"""The ``archive`` command. Commands parse options and print; the work lives in
``app.ingest`` and ``app.search``."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, TaskID, TextColumn, TimeElapsedColumn
from rich.progress import Progress as RichProgress
from rich.table import Table

from app.config import get_settings
from app.ingest import IngestLocked, IngestReport, ingest, reindex
from app.ingest.pipeline import Progress
from app.instruments import DictionaryError, load, user_file

cli = typer.Typer(
    help="Commentary Archive: ingest commentaries, keep the index, serve the site.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
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


def _summary(report: IngestReport) -> None:
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
        bool, typer.Option("--prune", help="Remove commentaries whose origin file is gone.")
    ] = False,
    report_json: Annotated[
        Path | None,
        typer.Option("--report-json", help="Write per-file outcomes and counts to this JSON file."),
    ] = None,
    rebuild: Annotated[
        bool, typer.Option("--rebuild", help="Rebuild the whole search index afterwards.")
    ] = False,
) -> None:
    """Read commentary files (.txt, .md, .html, .jsonl) into the archive and the index."""
    settings = get_settings()
    try:
        with _bar() as bar:
            report = ingest(
                settings, paths, prune=prune, rebuild_index=rebuild, progress=BarProgress(bar)
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


@cli.command("reindex")
def reindex_command() -> None:
    """Rebuild the search index from the database and swap it in atomically."""
    try:
        with _bar() as bar:
            report = reindex(get_settings(), BarProgress(bar))
    except (IngestLocked, DictionaryError) as exc:
        err.print(f"error: {exc}", markup=False, highlight=False)
        raise typer.Exit(1) from None
    note = f"; {report.index_note}" if report.index_note else ""
    out.print(f"index rebuilt: {report.indexed} documents{note}", markup=False, highlight=False)


@cli.command("serve")
def serve_command(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    workers: Annotated[int, typer.Option(help="Number of worker processes.")] = 1,
) -> None:
    """Serve the web site and JSON API (read-only)."""
    import uvicorn
    from pydantic import ValidationError

    try:  # a bad setting or alias file is said once here, not as a traceback per worker
        settings = get_settings()
        load(None, user_file(settings.data_dir))
    except ValidationError as exc:
        for problem in exc.errors():
            cause = problem.get("ctx", {}).get("error")
            name = "ARCHIVE_" + "_".join(str(p) for p in problem["loc"]).upper()
            message = str(cause) if cause is not None else f"{name}: {problem['msg']}"
            err.print(f"error: {message}", markup=False, highlight=False, soft_wrap=True)
        raise typer.Exit(1) from None
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
def stats_command() -> None:
    """Print what the archive holds."""
    from dataclasses import asdict

    from sqlmodel import Session

    from app.db import make_engine
    from app.web.queries.commentaries import archive_stats

    engine = make_engine(get_settings(), read_only=True)
    with Session(engine) as session:
        stats = archive_stats(session)
    for name, value in asdict(stats).items():
        out.print(f"{name}: {value}", markup=False, highlight=False)


def main() -> None:
    cli()


if __name__ == "__main__":
    main()
