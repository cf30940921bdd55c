"""The ``archive inspect`` report: what ingest makes of the same input, title and date
rules, query expansions, and stored text read back as its file was read."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from app.ingest.analyse import analyse
from app.ingest.limits import Limits
from app.ingest.readers import Record, read
from app.inspection import Inspection, expansions, inspect_file, inspect_text, record_of
from app.instruments import Dictionary, prepare_analysis
from app.search import words
from app.text.normalize import normalise
from tests.conftest import SEED_000, SEED_001, SEED_003, SEEDS, TODAY


@pytest.fixture(scope="module")
def dictionary() -> Dictionary:
    return prepare_analysis(None)


def _record(path: Path) -> Record:
    (record,) = read(path)
    assert isinstance(record, Record)
    return record


@pytest.mark.parametrize("seed", sorted(p.name for p in SEEDS.iterdir()))
def test_a_seed_reads_as_ingest_reads_it(dictionary: Dictionary, seed: str) -> None:
    path = SEEDS / seed
    report = inspect_file(path, dictionary, TODAY, Limits())
    analysed = analyse(_record(path), TODAY)
    assert not isinstance(analysed, Exception)
    prepared = analysed.prepared
    assert report.input == str(path)
    assert (report.metadata.title, report.metadata.date, report.metadata.date_precision) == (
        prepared.title,
        prepared.published,
        prepared.date_precision,
    )
    normalised = normalise(prepared.body)
    assert report.text == normalised.text
    assert [(w.position, w.word, w.start, w.end) for w in report.words] == list(
        words(normalised.text, subwords=True)
    )
    assert [
        (m.symbol, m.alias, m.start, m.end, m.paragraph, m.learned) for m in report.mentions
    ] == [(f.symbol, f.alias, f.start, f.end, f.paragraph, f.learned) for f in analysed.mentions]
    assert sum(c.counted for c in report.candidates) == len(report.mentions)


def _rules(report: Inspection) -> list[tuple[str, str | None, str, bool]]:
    return [
        (r.rule, r.date.isoformat() if r.date else None, r.precision, r.used)
        for r in report.metadata.date_rules
    ]


def test_a_title_at_the_end_and_a_stated_date(dictionary: Dictionary) -> None:
    report = inspect_file(SEEDS / SEED_000, dictionary, TODAY, Limits())
    meta = report.metadata
    lines = (SEEDS / SEED_000).read_text("utf-8").split("\n")
    assert meta.title_rule == "a title line in the text"
    assert meta.title_line == 48
    assert lines[47].startswith("《")
    assert _rules(report) == [
        ("front matter", None, "none", False),
        ("stated at the opening", "2024-09-14", "day", True),
        ("in the file name", None, "none", False),
        ("latest full date in the text", "2024-09-14", "inferred", False),
    ]


def test_a_derived_title_and_no_date(dictionary: Dictionary) -> None:
    meta = inspect_file(SEEDS / SEED_001, dictionary, TODAY, Limits()).metadata
    assert (meta.title_rule, meta.title_line) == ("derived from the opening sentence", None)
    assert (meta.date, meta.date_precision) == (None, "none")
    assert not any(r.used for r in meta.date_rules)


def test_an_inferred_date(dictionary: Dictionary) -> None:
    report = inspect_file(SEEDS / SEED_003, dictionary, TODAY, Limits())
    assert (report.metadata.title_line, report.metadata.title_rule) == (
        1,
        "a title line in the text",
    )
    assert [r for r in _rules(report) if r[3]] == [
        ("latest full date in the text", "2025-01-20", "inferred", True)
    ]


def test_a_date_in_the_file_name(dictionary: Dictionary, tmp_path: Path) -> None:
    path = tmp_path / "2025-03-07 周报.txt"
    path.write_text("标普500小幅收高\n美股三大指数涨跌互现，英伟达收涨1%。", "utf-8")
    report = inspect_file(path, dictionary, TODAY, Limits())
    assert (report.metadata.title, report.metadata.title_line) == ("标普500小幅收高", 1)
    assert [r for r in _rules(report) if r[1]] == [("in the file name", "2025-03-07", "day", True)]


def test_query_expansions(dictionary: Dictionary) -> None:
    # Words as the index holds them (folded): 聯準會 is 联准会.
    written = ["降息", "联准会", "Nvidia", "超微", "的", "降息"]
    found = {e.word: e for e in expansions(written, dictionary)}
    assert list(found) == ["降息", "联准会", "Nvidia"]
    assert found["降息"].synonyms == ["減息"]
    assert found["降息"].symbol is None
    assert found["联准会"].synonyms == ["美联储", "联储", "聯儲局"]
    nvidia = found["Nvidia"]
    assert (nvidia.symbol, nvidia.listings, nvidia.synonyms) == ("NVDA", ["NVDA"], [])
    assert {"英伟达", "輝達", "NVDA"} <= set(nvidia.names)


def test_a_text_is_read_as_a_txt_file(dictionary: Dictionary) -> None:
    report = inspect_text("---\ntitle: 周报\ndate: 2025-02-03\n---\n英伟达收涨", dictionary, TODAY)
    meta = report.metadata
    assert (meta.title, meta.title_rule, meta.date, meta.date_precision) == (
        "周报",
        "front matter",
        dt.date(2025, 2, 3),
        "day",
    )
    assert report.text == "英伟达收涨"
    assert [m.symbol for m in report.mentions] == ["NVDA"]


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("note.md", "---\ntitle: 周报\nsource: 某台\n---\n台积电大涨。\n"),
        (
            "page.html",
            "<html><head><title>周报</title></head><body><p>台积电大涨。</p></body></html>",
        ),
        ("feed.jsonl", '{"body": "台积电大涨。\\r\\n英伟达收涨", "title": "周报", "date": ""}\n'),
    ],
)
def test_stored_text_reads_as_its_file(tmp_path: Path, name: str, content: str) -> None:
    path = tmp_path / name
    path.write_text(content, "utf-8")
    record = _record(path)
    again = record_of(record.raw, path, "commentary 1")
    assert (again.text, again.meta, again.path) == (record.text, record.meta, path)
