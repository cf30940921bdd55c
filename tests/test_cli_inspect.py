"""``archive inspect``: a text, a file or a stored commentary, as text or JSON, and the
one-line errors."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import typer.main
from sqlmodel import Session, col, select
from typer.testing import Result

from app.cli import cli
from app.config import Settings
from app.db import make_engine
from app.models import Mention
from tests.conftest import write_commentary

Run = Callable[..., Result]

LETTER = (
    "2024年9月14日\n"
    "本周美股方面，超微（AMD）与輝達同步走强，CPI 公布后降息预期升温。\n"
    "台股统一涨停，NVDA、APP 亦收高。\n"
)


def _json(result: Result) -> dict[str, Any]:
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def _refused(result: Result, message: str) -> None:
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == f"error: {message}\n"


def test_a_text(archive_cli: Run) -> None:
    result = archive_cli("inspect", "台股统一涨停，APP 下载量大增")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "inspecting text"
    assert "title:   台股统一涨停，APP 下载量大增  [derived from the opening sentence]" in lines
    assert "date:    none (none)" in lines
    assert "  台股统一涨停,APP 下载量大增" in lines  # normalised: full-width comma folded
    words = lines[lines.index("words (position: word [start:end]; sub-words under their word)") :]
    assert words[1:5] == [
        "     0: 台股 [0:2]",
        "     1: 统一 [2:4]",
        "     2: 涨停 [4:6]",
        "     3: app [7:10]",
    ]
    assert (
        "  [2:4] 统一  name -> counted as 1216.TW (paragraph market); a stock word next to it; "
        "market TW" in lines
    )
    assert (
        "  [7:10] APP  bare symbol -> refused: word-like symbol not among tickers; market TW"
        in lines
    )
    assert "  1216.TW: 统一 [2:4], paragraph 0" in lines
    assert "  统一 -> 1216.TW: listings 1216.TW; names 1216.TW, 統一, 统一" in lines


def test_the_json_shape(archive_cli: Run) -> None:
    data = _json(archive_cli("inspect", "--json", "降息预期下，超微（AMD）大涨"))
    assert list(data) == [
        "input",
        "metadata",
        "text",
        "words",
        "candidates",
        "mentions",
        "expansions",
    ]
    assert data["input"] == "text"
    assert data["text"] == "降息预期下,超微(AMD)大涨"
    assert data["metadata"] == {
        "title": "降息预期下，超微（AMD）大涨",
        "title_rule": "derived from the opening sentence",
        "title_line": None,
        "date": None,
        "date_precision": "none",
        "date_rules": [
            {"rule": rule, "date": None, "precision": "none", "used": False, "note": ""}
            for rule in (
                "front matter",
                "stated at the opening",
                "in the file name",
                "latest full date in the text",
            )
        ],
        "source": None,
        "author": None,
        "declared_tickers": [],
        "notes": [],
    }
    assert data["words"][:3] == [
        {"position": 0, "word": "降息", "start": 0, "end": 2, "subword": False},
        {"position": 1, "word": "预期", "start": 2, "end": 4, "subword": False},
        {"position": 2, "word": "下", "start": 4, "end": 5, "subword": False},
    ]
    assert data["candidates"] == [
        {
            "start": 6,
            "end": 13,
            "text": "超微(AMD)",
            "evidence": "name with code",
            "counted": True,
            "reason": "written symbol or code",
            "symbol": "AMD",
            "options": [],
            "market": None,
            "detail": "",
        },
        {
            "start": 6,
            "end": 8,
            "text": "超微",
            "evidence": "name",
            "counted": False,
            "reason": "ambiguous",
            "symbol": None,
            "options": ["AMD", "SMCI"],
            "market": None,
            "detail": "marked ambiguous: counts only with its code",
        },
        {
            "start": 9,
            "end": 12,
            "text": "AMD",
            "evidence": "bare symbol",
            "counted": False,
            "reason": "overlapped by a stronger candidate",
            "symbol": "AMD",
            "options": [],
            "market": None,
            "detail": "超微(AMD) (name with code)",
        },
    ]
    assert data["mentions"] == [
        {
            "symbol": "AMD",
            "alias": "超微（AMD）",
            "start": 6,
            "end": 13,
            "paragraph": 0,
            "learned": "",
        }
    ]
    expansions = {e["word"]: e for e in data["expansions"]}
    assert expansions["降息"] == {
        "word": "降息",
        "synonyms": ["減息"],
        "symbol": None,
        "listings": [],
        "names": [],
    }
    assert expansions["AMD"]["symbol"] == "AMD"
    assert "超微" not in expansions  # ambiguous: a query for it matches the word only


def test_a_file(archive_cli: Run, docs_dir: Path) -> None:
    path = docs_dir / "letter.txt"
    path.write_text(f"每周观察\n{LETTER}", "utf-8")
    data = _json(archive_cli("inspect", "--file", path, "--json"))
    meta = data["metadata"]
    assert data["input"] == str(path)
    assert (meta["title"], meta["title_rule"], meta["title_line"]) == (
        "每周观察",
        "a title line in the text",
        1,
    )
    assert (meta["date"], meta["date_precision"]) == ("2024-09-14", "day")
    assert [(r["rule"], r["date"], r["used"]) for r in meta["date_rules"]] == [
        ("front matter", None, False),
        ("stated at the opening", "2024-09-14", True),
        ("in the file name", None, False),
        ("latest full date in the text", "2024-09-14", False),
    ]
    assert not data["text"].startswith("每周观察")  # the title line is not in the body
    assert [(m["symbol"], m["alias"]) for m in data["mentions"]] == [
        ("AMD", "超微（AMD）"),
        ("NVDA", "輝達"),
        ("1216.TW", "统一"),
        ("NVDA", "NVDA"),
        ("APP", "APP"),
    ]


def test_a_file_with_front_matter_as_text(archive_cli: Run, docs_dir: Path) -> None:
    path = write_commentary(docs_dir, "2024-09-20-note.md", LETTER, date="2024-13-01")
    result = archive_cli("inspect", "--file", path)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert "title:   测试 2024-09-20-note.md  [front matter]" in lines
    assert "date:    2024-09-14 (day)" in lines
    assert (
        "         front matter: nothing (none) (date '2024-13-01' is not a valid date "
        "(expected YYYY-MM-DD or YYYY-MM); ignored)" in lines
    )
    assert "         stated at the opening: 2024-09-14 (day)  <- used" in lines
    assert "         in the file name: 2024-09-20 (day)" in lines


def test_a_stored_commentary(archive_cli: Run, docs_dir: Path, settings: Settings) -> None:
    write_commentary(docs_dir, "letter.md", LETTER, source="周报")
    assert archive_cli("ingest", docs_dir).exit_code == 0
    data = _json(archive_cli("inspect", "--id", "1", "--json"))
    assert data["input"] == "commentary 1"
    assert (data["metadata"]["title"], data["metadata"]["source"]) == ("测试 letter.md", "周报")
    engine = make_engine(settings)
    try:
        with Session(engine) as session:
            stored = session.exec(
                select(Mention).where(Mention.commentary_id == 1).order_by(col(Mention.start))
            ).all()
    finally:
        engine.dispose()
    assert [(m["symbol"], m["alias"], m["start"], m["end"]) for m in data["mentions"]] == [
        (m.symbol, m.alias, m.start, m.end) for m in stored
    ]
    assert len(stored) == 5
    result = archive_cli("inspect", "--id", "1")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == "inspecting commentary 1"


def test_an_unknown_id(archive_cli: Run, docs_dir: Path) -> None:
    write_commentary(docs_dir, "letter.md", LETTER)
    assert archive_cli("ingest", docs_dir).exit_code == 0
    _refused(archive_cli("inspect", "--id", "99"), "no commentary has id 99")


def test_an_unreadable_file(archive_cli: Run, tmp_path: Path) -> None:
    missing = tmp_path / "missing.txt"
    _refused(
        archive_cli("inspect", "--file", missing),
        f"{missing}: cannot read file: No such file or directory",
    )
    binary = tmp_path / "image.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    result = archive_cli("inspect", "--file", binary)
    assert result.exit_code == 1
    assert result.stderr.startswith(f"error: {binary}: ")
    assert len(result.stderr.splitlines()) == 1


def test_a_file_of_several_commentaries(archive_cli: Run, tmp_path: Path) -> None:
    lines = tmp_path / "feed.jsonl"
    lines.write_text('{"body": "一"}\n{"body": "二"}\n', "utf-8")
    _refused(
        archive_cli("inspect", "--file", lines),
        f"{lines} holds 2 commentaries: ingest it and inspect one with --id",
    )


def test_nothing_left_to_inspect(archive_cli: Run) -> None:
    _refused(archive_cli("inspect", "  \n"), "text: no text left after removing boilerplate")


@pytest.mark.parametrize(
    ("args", "given"),
    [
        ((), "nothing"),
        (("台积电", "--id", "1"), "TEXT and --id"),
        (("--file", "a.txt", "--id", "1"), "--file and --id"),
    ],
)
def test_one_input_only(archive_cli: Run, args: tuple[str, ...], given: str) -> None:
    _refused(
        archive_cli("inspect", *args), f"give one of TEXT, --file PATH or --id N (got {given})"
    )


def test_every_option_has_help(archive_cli: Run) -> None:
    command = getattr(typer.main.get_command(cli), "commands", {})["inspect"]
    assert command.help
    assert all(getattr(param, "help", None) for param in command.params)
    usage = archive_cli("inspect", "--help").stdout
    assert "[OPTIONS] [TEXT]" in usage
    assert "<bool>" not in usage


def test_an_archive_with_nothing_stored(archive_cli: Run) -> None:
    result = archive_cli("inspect", "--id", "1")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.startswith("error: cannot read the database: ")
    assert len(result.stderr.splitlines()) == 1
