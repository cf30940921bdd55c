"""``archive aliases``: list, add and remove the reader's names, the checks that refuse a
bad one, and what each command says the next ingest will re-analyse."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import Result

from app.config import Settings
from app.ingest import ingest
from tests.conftest import TODAY, write_commentary

Run = Callable[..., Result]

DOCS = {
    "ev": "小米汽车本周交付量创新高，小米集团股价上涨3%。",
    "phones": "小米集团公布季度业绩，手机出货量回升。",
    "chips": "英伟达股价走高，AMD 同步上涨。",
}


@pytest.fixture
def stored(settings: Settings, tmp_path: Path) -> Path:
    """The archive holds ``DOCS``."""
    folder = tmp_path / "docs"
    folder.mkdir()
    for name, body in DOCS.items():
        write_commentary(folder, f"{name}.md", body)
    report = ingest(settings, [folder], today=TODAY)
    assert report.counts["added"] == len(DOCS)
    return folder


def _said(result: Result) -> list[str]:
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    return result.stdout.splitlines()


def _refused(result: Result, message: str) -> None:
    assert result.exit_code == 1, result.output
    assert result.stdout == ""
    assert result.stderr == f"error: {message}\n"


def test_an_added_alias_is_written_and_says_what_the_next_ingest_re_analyses(
    archive_cli: Run, settings: Settings, stored: Path
) -> None:
    assert _said(archive_cli("aliases", "add", "1810", "小米汽车")) == [
        f"小米汽车 added to 1810.HK in {settings.data_dir / 'aliases.csv'}",
        "the next `archive ingest` re-analyses 1 of 3 commentaries, those holding a changed entry:",
        "  name 小米汽车 added: 1810.HK",
        "  jieba word 小米汽车 added",
    ]
    path = settings.data_dir / "aliases.csv"
    assert path.read_text("utf-8") == "symbol,aliases\n1810.HK,小米汽车\n"
    report = ingest(settings, [stored], today=TODAY)
    assert report.reanalysis is not None
    assert report.reanalysis.reanalysed == 1
    assert {s: (c.added, c.removed) for s, c in report.reanalysis.by_symbol.items()} == {
        "1810.HK": (1, 1)
    }
    listed = archive_cli("aliases", "list", "--json")
    assert listed.exit_code == 0, listed.output
    assert json.loads(listed.stdout) == {
        "file": str(path),
        "aliases": [{"symbol": "1810.HK", "alias": "小米汽车", "marker": "", "name": "小米集团"}],
        "next_ingest": {"everything": None, "changes": [], "reanalyses": 0, "commentaries": 3},
    }


def test_a_removed_alias_says_what_the_next_ingest_re_analyses(
    archive_cli: Run, settings: Settings, stored: Path
) -> None:
    _said(archive_cli("aliases", "add", "NVDA", "老黄", "?AMD芯片"))
    ingest(settings, [stored], today=TODAY)
    assert _said(archive_cli("aliases", "remove", "NVDA", "老黄")) == [
        f"老黄 removed from NVDA in {settings.data_dir / 'aliases.csv'}",
        "the next `archive ingest` re-analyses 0 of 3 commentaries, those holding a changed entry:",
        "  name 老黄 removed (was NVDA)",
        "  jieba word 老黄 removed",
    ]
    assert (settings.data_dir / "aliases.csv").read_text("utf-8") == (
        "symbol,aliases\nNVDA,?AMD芯片\n"
    )
    _said(archive_cli("aliases", "remove", "NVDA", "AMD芯片"))
    assert (settings.data_dir / "aliases.csv").read_text("utf-8") == "symbol,aliases\n"


def test_list_shows_the_entries_and_that_nothing_is_pending(
    archive_cli: Run, settings: Settings, stored: Path
) -> None:
    assert _said(archive_cli("aliases", "list")) == [
        f"no aliases in {settings.data_dir / 'aliases.csv'}",
        "the archive is analysed with these aliases: the next `archive ingest` re-analyses nothing",
    ]


def test_an_empty_archive_says_the_next_ingest_analyses_with_them(archive_cli: Run) -> None:
    assert _said(archive_cli("aliases", "add", "AAPL", "果子"))[1:] == [
        "the archive holds no commentary yet: the next `archive ingest` analyses what it "
        "reads with these aliases"
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("add", "XYZW", "名字"), "unknown symbol 'XYZW': it is in none of the instrument lists"),
        (("add", "AAPL", "CPI"), "'CPI' is on the stop list: it never counts as a mention"),
        (("add", "1810.HK", "小米"), "'小米' already names 1810.HK (小米集团)"),
        (("add", "1810.HK", "XIAOMI"), "'XIAOMI' already names 1810.HK (小米集团)"),
        (
            ("add", "NVDA", "苹果"),
            "'苹果' already names AAPL (苹果): a name means one company; write '?苹果' to "
            "count it only next to a code",
        ),
        (
            ("add", "NVDA", "AMD"),
            "'AMD' already names AMD (超威): a name means one company; write '?AMD' to count "
            "it only next to a code",
        ),
        (("add", "NVDA", "a,b"), "'a,b': an alias cannot hold a comma, '|', a quote or a tab"),
        (("add", "NVDA", "?"), "an alias needs a character besides its marker"),
        (
            ("remove", "0700.HK", "腾讯"),
            "'腾讯' comes with the instrument lists, not from aliases.csv: it cannot be "
            "removed here",
        ),
        (("remove", "0700.HK", "企鹅"), "'企鹅' is not an alias of 0700.HK in aliases.csv"),
    ],
)
def test_a_bad_alias_is_refused_in_one_line_and_nothing_is_written(
    archive_cli: Run, settings: Settings, args: tuple[str, ...], message: str
) -> None:
    _refused(archive_cli("aliases", *args), message)
    assert not (settings.data_dir / "aliases.csv").exists()


def test_a_refused_alias_among_several_writes_none_of_them(
    archive_cli: Run, settings: Settings
) -> None:
    _refused(
        archive_cli("aliases", "add", "NVDA", "老黄", "CPI"),
        "'CPI' is on the stop list: it never counts as a mention",
    )
    assert not (settings.data_dir / "aliases.csv").exists()


def test_a_broken_alias_file_is_said_in_one_line(archive_cli: Run, settings: Settings) -> None:
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    (settings.data_dir / "aliases.csv").write_text("symbol,aliases\nNOPE1,名字\n", "utf-8")
    message = f"{settings.data_dir / 'aliases.csv'}: line 2 names an unknown symbol 'NOPE1'"
    _refused(archive_cli("aliases", "list"), message)
    _refused(archive_cli("aliases", "add", "NVDA", "老黄"), message)


def test_the_alias_file_keeps_one_row_per_symbol(archive_cli: Run, settings: Settings) -> None:
    _said(archive_cli("aliases", "add", "NVDA", "老黄"))
    _said(archive_cli("aliases", "add", "1810.HK", "小米汽车"))
    _said(archive_cli("aliases", "add", "NVDA", "~黄教主"))
    text: Any = (settings.data_dir / "aliases.csv").read_text("utf-8")
    assert text == "symbol,aliases\nNVDA,老黄|~黄教主\n1810.HK,小米汽车\n"


def test_stats_says_what_the_next_ingest_re_analyses(
    archive_cli: Run, settings: Settings, stored: Path
) -> None:
    _said(archive_cli("aliases", "add", "1810.HK", "小米汽车"))
    lines = _said(archive_cli("stats"))
    start = next(n for n, line in enumerate(lines) if line.startswith("analysis:"))
    assert lines[start : start + 3] == [
        "analysis:         the dictionary changed since the last ingest: the next `archive "
        "ingest` re-analyses the commentaries holding",
        "                  name 小米汽车 added: 1810.HK",
        "                  jieba word 小米汽车 added",
    ]
    status = json.loads(archive_cli("stats", "--json").stdout)
    assert status["analysis"] == {
        "up_to_date": False,
        "everything": None,
        "changes": ["name 小米汽车 added: 1810.HK", "jieba word 小米汽车 added"],
    }
    ingest(settings, [stored], today=TODAY)
    assert "analysis:         up to date" in _said(archive_cli("stats"))


def test_the_ingest_after_an_alias_says_what_it_re_analysed(archive_cli: Run, stored: Path) -> None:
    _said(archive_cli("aliases", "add", "1810.HK", "小米汽车"))
    lines = _said(archive_cli("ingest", stored))
    assert lines[:5] == [
        "the dictionary changed since the last ingest:",
        "  name 小米汽车 added: 1810.HK",
        "  jieba word 小米汽车 added",
        "re-analysed 1 of 3 commentaries (those holding a changed entry); 1 found other mentions",
        "  1810.HK: +1 -1 mentions in 1 commentary",
    ]
