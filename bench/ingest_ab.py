"""Ingest cost of the current code against an earlier revision, in the same run.

The earlier revision is checked out as a git worktree under ``bench/work/`` and ingests
the same corpus through its own code, alternating with the current code so that drift
in the machine's speed falls on both. The figure that matters is the ratio of seconds
per commentary; the report goes to ``bench/results/ingest_ab.md``.

Environment: ``AB_BASELINE`` (the revision, default the last one before the complete
market lists, issuers and synonyms), ``AB_SIZE`` (commentaries, default 5000),
``AB_ROUNDS`` (ingests of each side, default 3).
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench.measure import Measured, machine, run
from bench.run import RESULTS, ROOT, WORK, check, corpus_file

PY = sys.executable
BASELINE = "3e4decd"  # before the exchange lists, issuers and synonyms
LIMIT = 1.10  # at most 10% slower per commentary


def _worktree(revision: str) -> Path:
    place = WORK / f"baseline-{revision}"
    if not (place / "app").is_dir():
        shutil.rmtree(place, ignore_errors=True)
        subprocess.run(["git", "worktree", "prune"], cwd=ROOT, check=True)
        subprocess.run(
            ["git", "worktree", "add", "--detach", str(place), revision], cwd=ROOT, check=True
        )
    return place


def _ingest(code: Path, source: Path, data_dir: Path) -> Measured:
    shutil.rmtree(data_dir, ignore_errors=True)
    # Run from the code's own folder so that its ``app`` package is the one imported.
    env = {"ARCHIVE_DATA_DIR": str(data_dir), "PYTHONPATH": str(code)}
    command = [PY, "-m", "app.cli", "ingest", str(source)]
    return check(run(command, env=env, cwd=code), f"ingest with {code}")


def main() -> None:
    revision = os.environ.get("AB_BASELINE", "").strip() or BASELINE
    size = int(os.environ.get("AB_SIZE", "").strip() or 5000)
    rounds = int(os.environ.get("AB_ROUNDS", "").strip() or 3)
    started = time.time()
    source = corpus_file(size)
    sides = {"baseline": _worktree(revision), "current": ROOT}
    seconds: dict[str, list[float]] = {name: [] for name in sides}
    rss: dict[str, list[float]] = {name: [] for name in sides}
    for turn in range(rounds):
        for name, code in sides.items() if turn % 2 == 0 else reversed(sides.items()):
            measured = _ingest(code, source, WORK / "ab" / name)
            seconds[name].append(measured.seconds)
            rss[name].append(measured.peak_rss_mb)
            print(f"   {name} round {turn + 1}: {measured.seconds:.1f} s", flush=True)
    shutil.rmtree(WORK / "ab", ignore_errors=True)
    medians = {name: statistics.median(values) for name, values in seconds.items()}
    ratio = medians["current"] / medians["baseline"]
    result: dict[str, Any] = {
        "started": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(started)),
        "minutes": (time.time() - started) / 60,
        "machine": machine(),
        "baseline": revision,
        "current": _head(),
        "size": size,
        "seconds": seconds,
        "peak_rss_mb": rss,
        "ratio": ratio,
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "ingest_ab.json").write_text(json.dumps(result, indent=1) + "\n")
    (RESULTS / "ingest_ab.md").write_text(_markdown(result, medians))
    print(f"ingest per commentary: {ratio:.3f}× the baseline; report: {RESULTS / 'ingest_ab.md'}")


def _head() -> str:
    found = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    )
    return found.stdout.strip()


def _markdown(result: dict[str, Any], medians: dict[str, float]) -> str:
    size, ratio = result["size"], result["ratio"]
    m = result["machine"]
    verdict = "met" if ratio <= LIMIT else "**missed**"
    rows = [
        f"| {name} | {', '.join(f'{s:.1f}' for s in result['seconds'][name])} "
        f"| {medians[name]:.1f} | {1000 * medians[name] / size:.2f} "
        f"| {max(result['peak_rss_mb'][name]):.0f} |"
        for name in ("baseline", "current")
    ]
    return "\n".join(
        [
            "# Ingest against an earlier revision",
            "",
            f"Run {result['started']}, {result['minutes']:.0f} minutes, by `make bench` "
            f"(`python -m bench.ingest_ab`). Machine: {m['cpu']}, {m['cores']} cores.",
            f"Baseline `{result['baseline']}` against `{result['current']}`, {size} "
            "commentaries of the benchmark corpus into an empty archive, the two sides "
            "alternating.",
            "",
            "| code | seconds per ingest | median s | ms per commentary | peak RSS MB |",
            "| --- | --- | --- | --- | --- |",
            *rows,
            "",
            f"Current per commentary: **{ratio:.3f}×** the baseline "
            f"(target ≤ {LIMIT:.2f}×: {verdict}).",
            "",
        ]
    )


if __name__ == "__main__":
    main()
