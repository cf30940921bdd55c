"""Issue 17's target: after one alias that occurs in about 1% of the commentaries is
added to ``aliases.csv``, the next ``archive ingest`` of the same corpus (which
re-analyses only the commentaries holding it) against the same ingest with
``--reanalyse`` (every commentary), both on a copy of the cached archive, in one run.
The two archives' mentions and revisions are then compared row for row.

    python -m bench.reanalysis [SIZE]    measure (default 20,000) and write
                                         bench/results/reanalysis.{json,md}

The alias is a word of jieba's dictionary that the dictionary does not know as a name,
found in the share of a sample of the corpus closest to ``SHARE``; it is given to
``SYMBOL``.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import sys
from collections import Counter
from itertools import islice
from pathlib import Path
from typing import Any

import ahocorasick

from bench import cache
from bench.corpus import vocabulary
from bench.measure import run
from bench.steps import HERE, PY, ROOT, WORK, check, corpus_file, when

SHARE = 0.01
SAMPLE = 2000
SYMBOL = "1810.HK"
RESULTS = HERE / "results"


def pick_alias(source: Path) -> tuple[str, float]:
    """A three-character word of jieba's dictionary, not a name in the dictionary,
    held by the share of the first ``SAMPLE`` commentaries closest to ``SHARE``."""
    from app.instruments import load
    from app.text.normalize import fold

    names = load().aliases
    automaton = ahocorasick.Automaton()
    for word in vocabulary()[0]:
        if len(word) == 3 and word not in names:
            automaton.add_word(word, word)
    automaton.make_automaton()
    held: Counter[str] = Counter()
    with source.open(encoding="utf-8") as lines:
        for line in islice(lines, SAMPLE):
            item = json.loads(line)
            text = fold(f"{item.get('title', '')}\n{item['body']}")
            held.update({word for _, word in automaton.iter(text)})
    word = min(held, key=lambda w: (abs(held[w] / SAMPLE - SHARE), w))
    return word, held[word] / SAMPLE


def _rows(database: Path) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    with sqlite3.connect(database) as db:
        mentions = db.execute(
            'SELECT commentary_id, symbol, issuer, alias, start, "end", paragraph, published'
            ' FROM mention ORDER BY commentary_id, start, "end", symbol'
        ).fetchall()
        revisions = db.execute("SELECT id, revision FROM commentary ORDER BY id").fetchall()
    return mentions, revisions


def _ingest(data_dir: Path, source: Path, report: Path, *options: str) -> dict[str, Any]:
    command = [PY, "-m", "app.cli", "ingest", str(source), "--report-json", str(report), *options]
    done = check(run(command, env={"ARCHIVE_DATA_DIR": str(data_dir)}, cwd=ROOT), "ingest")
    found: dict[str, Any] = json.loads(report.read_text("utf-8"))
    return {"seconds": done.seconds, "rss_mb": done.peak_rss_mb, "report": found}


def measure(size: int, archive: Path) -> dict[str, Any]:
    """Both ingests on copies of ``archive`` (the cached archive of ``size``)."""
    source = corpus_file(size)
    alias, share = pick_alias(source)
    print(f"   alias {alias} for {SYMBOL}: in {share:.2%} of a sample", flush=True)
    runs: dict[str, dict[str, Any]] = {}
    places = {}
    for name, options in (("targeted", ()), ("full", ("--reanalyse",))):
        place = WORK / f"reanalysis-{name}-{size}"
        cache.copy(archive, place)
        (place / "aliases.csv").write_text(f"symbol,aliases\n{SYMBOL},{alias}\n", "utf-8")
        runs[name] = _ingest(place, source, WORK / f"reanalysis-{name}-{size}.json", *options)
        places[name] = place
        print(f"   {name}: {runs[name]['seconds']:.1f} s", flush=True)
    targeted, full = (_rows(places[n] / "archive.sqlite3") for n in ("targeted", "full"))
    for place in places.values():
        shutil.rmtree(place, ignore_errors=True)
    done = runs["targeted"]["report"]["reanalysis"]
    whole = runs["full"]["report"]["reanalysis"]
    differing = sum(a != b for a, b in zip(targeted[0], full[0], strict=False))
    differing += abs(len(targeted[0]) - len(full[0]))
    return {
        "measured": when(),
        "size": size,
        "alias": alias,
        "symbol": SYMBOL,
        "sample_share": share,
        "touched": done["reanalysed"],
        "touched_share": done["reanalysed"] / size,
        "changed": done["changed"],
        "by_symbol": done["by_symbol"],
        "full_changed": whole["changed"],
        "targeted_seconds": runs["targeted"]["seconds"],
        "full_seconds": runs["full"]["seconds"],
        "targeted_rss_mb": runs["targeted"]["rss_mb"],
        "full_rss_mb": runs["full"]["rss_mb"],
        "ratio": runs["targeted"]["seconds"] / runs["full"]["seconds"],
        "mentions": len(full[0]),
        "mentions_differing": differing,
        "revisions_identical": targeted[1] == full[1],
    }


def markdown(found: dict[str, Any]) -> str:
    verdict = "met" if found["ratio"] <= 0.10 else "missed"
    same = found["mentions_differing"] == 0 and found["revisions_identical"]
    return "\n".join(
        [
            f"# Targeted re-analysis at {found['size']:,} commentaries ({found['measured']})",
            "",
            f"Alias `{found['alias']}` added for {found['symbol']} in `aliases.csv`; it is held "
            f"by {found['touched']:,} commentaries ({found['touched_share']:.2%}).",
            "",
            "| ingest after the change | seconds | peak RSS |",
            "| --- | ---: | ---: |",
            f"| targeted (the commentaries holding the alias) | {found['targeted_seconds']:.1f} "
            f"| {found['targeted_rss_mb']:.0f} MB |",
            f"| full (`--reanalyse`, every commentary) | {found['full_seconds']:.1f} "
            f"| {found['full_rss_mb']:.0f} MB |",
            "",
            f"- targeted ÷ full: **{found['ratio']:.3f}×** (target ≤ 0.10×: {verdict})",
            f"- commentaries whose mentions changed: {found['changed']:,} targeted, "
            f"{found['full_changed']:,} full",
            f"- mentions compared row for row: {found['mentions']:,}, differing "
            f"{found['mentions_differing']:,}; revisions identical: "
            f"{found['revisions_identical']} ({'identical' if same else 'NOT identical'})",
            "",
            "Repeat: `python -m bench.reanalysis "
            f"{found['size']}` (BENCH_WORK names the cached corpus and archive).",
            "",
        ]
    )


def main() -> None:
    from bench.run import archive

    size = int(sys.argv[1]) if len(sys.argv) > 1 else 20000
    data_dir, _ = archive(size)
    found = measure(size, data_dir)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "reanalysis.json").write_text(json.dumps(found, indent=1, ensure_ascii=False) + "\n")
    (RESULTS / "reanalysis.md").write_text(markdown(found))
    print(markdown(found))


if __name__ == "__main__":
    main()
