"""A change of the dictionary re-analyses only the stored commentaries it touches, and
leaves the archive exactly as a full re-analysis of the same archive does.

Each case builds two archives of the same commentaries on the old dictionary, changes
it (the reader's aliases.csv, the shipped stop list, the shipped synonym table), then
ingests one as usual (targeted) and the other with ``reanalyse=True`` (every
commentary). Mentions must agree row for row, and searches for every word and symbol
involved must find the same commentaries.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import delete
from sqlmodel import Session, col, select

from app.config import Settings
from app.db import make_engine
from app.ingest import IngestReport, basis, ingest
from app.instruments import catalog
from app.models import AnalysisSource, Commentary, Mention
from app.search import SearchRequest, open_backend, search, segmenter, synonyms
from tests.conftest import TODAY, UNBOUNDED, write_commentary
from tests.databases import archive_settings

CORPUS = {
    "xiaomi_ev": "小米汽车本周交付量创新高，小米集团股价上涨3%。",
    "xiaomi_plain": "小米集团公布季度业绩，手机出货量回升。",
    "penguin": "企鹅的游戏业务回暖，腾讯控股收涨2%。",
    "jensen": "老黄在发布会上展示新芯片，英伟达股价走高。",
    "jensen_family": "老黄家的新卡供不应求。",
    "amd_bare": "AMD与NVDA同步走强，费城半导体指数创新高。",
    "amd_explicit": "$AMD$ 发布新一代加速器，市场反应平淡。",
    "msci": "MSCI中国指数上涨1.2%，外资持续流入。",
    "apple_chain": "苹果概念股走强，果链公司订单饱满。",
    "rates": "美联储降息预期升温，港股减息受惠股走高。",
    "hike": "日本央行调升利率之后，日元走强。",
    "nothing": "今日大盘窄幅震荡，成交量萎缩。",
}


@dataclass(frozen=True)
class Setup:
    """A dictionary: the reader's aliases.csv, and edits of the shipped stop list and
    synonym table (``(old line, new line)`` pairs; an empty old line appends)."""

    aliases: str = ""
    stoplist: tuple[tuple[str, str], ...] = ()
    synonyms: tuple[tuple[str, str], ...] = ()
    finance_words: tuple[tuple[str, str], ...] = ()


def _edited(text: str, edits: tuple[tuple[str, str], ...]) -> str:
    lines = text.splitlines()
    for old, new in edits:
        if old:
            lines = [new if line.strip() == old else line for line in lines]
            assert new in lines or not new, f"{old!r} is not a line"
        else:
            lines.append(new)
    return "\n".join(line for line in lines if line) + "\n"


@contextmanager
def dictionary(
    setup: Setup, monkeypatch: pytest.MonkeyPatch, *archives: Settings
) -> Iterator[None]:
    """Make ``setup`` the dictionary every ingest in the block reads."""
    shipped_packaged, shipped_synonyms = catalog.packaged, synonyms.resource_text
    finance_words_text = segmenter.finance_words_text
    stoplist = _edited(shipped_packaged("stoplist.txt"), setup.stoplist)
    table = _edited(shipped_synonyms(), setup.synonyms)
    finance = _edited(finance_words_text(), setup.finance_words)

    def packaged(name: str) -> str:
        return stoplist if name == "stoplist.txt" else shipped_packaged(name)

    for settings in archives:
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        path = settings.data_dir / "aliases.csv"
        if setup.aliases:
            path.write_text(f"symbol,aliases\n{setup.aliases}", "utf-8")
        else:
            path.unlink(missing_ok=True)
    with monkeypatch.context() as patch:
        patch.setattr(catalog, "packaged", packaged)
        patch.setattr(synonyms, "resource_text", lambda: table)
        patch.setattr(segmenter, "finance_words_text", lambda: finance)
        synonyms.table.cache_clear()
        try:
            yield
        finally:
            synonyms.table.cache_clear()


def _mentions(settings: Settings) -> list[tuple[Any, ...]]:
    engine = make_engine(settings)
    try:
        with Session(engine) as session:
            rows = session.exec(
                select(Mention).order_by(col(Mention.commentary_id), col(Mention.start))
            )
            return [
                (m.commentary_id, m.symbol, m.issuer, m.alias, m.start, m.end, m.paragraph)
                for m in rows
            ]
    finally:
        engine.dispose()


def _revisions(settings: Settings) -> dict[int, int]:
    engine = make_engine(settings)
    try:
        with Session(engine) as session:
            return {
                int(i): r for i, r in session.exec(select(Commentary.id, Commentary.revision)) if i
            }
    finally:
        engine.dispose()


def _found(settings: Settings, query: str) -> tuple[int, ...]:
    backend = open_backend(settings)
    try:
        page = search(backend, SearchRequest(text=query, per_page=50), budget=UNBOUNDED)
        return tuple(sorted(hit.id for hit in page.hits))
    finally:
        backend.close()


def compare(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    before: Setup,
    after: Setup,
    queries: tuple[str, ...],
) -> tuple[IngestReport, dict[str, int]]:
    """Build both archives on ``before``, move both to ``after`` (one targeted, one
    re-analysed whole), check they agree, and return the targeted ingest's report and
    the ids of the commentaries by name."""
    docs = tmp_path / "docs"
    docs.mkdir()
    for name, body in CORPUS.items():
        write_commentary(docs, f"{name}.md", body, date="2026-11-02")
    targeted = archive_settings(tmp_path / "targeted")
    full = archive_settings(tmp_path / "full")
    with dictionary(before, monkeypatch, targeted, full):
        for settings in (targeted, full):
            first = ingest(settings, [docs], today=TODAY)
            assert first.counts["added"] == len(CORPUS), first.as_dict()
            assert first.reanalysis is None
    with dictionary(after, monkeypatch, targeted, full):
        report = ingest(targeted, [docs], today=TODAY)
        whole = ingest(full, [docs], today=TODAY, reanalyse=True)
        assert whole.reanalysis is not None and whole.reanalysis.reanalysed == len(CORPUS)
        assert report.counts["unchanged"] == len(CORPUS), report.as_dict()
        assert _mentions(targeted) == _mentions(full)
        assert _revisions(targeted) == _revisions(full)
        for query in queries:
            assert _found(targeted, query) == _found(full, query), query
        again = ingest(targeted, [docs], today=TODAY)
        assert again.reanalysis is None, "a second ingest has nothing left to re-analyse"
    ids = {Path(r.path).stem: r.id for r in report.files if r.id is not None}
    return report, ids


def _changed(report: IngestReport) -> dict[str, tuple[int, int, int]]:
    assert report.reanalysis is not None
    return {
        symbol: (c.added, c.removed, c.commentaries)
        for symbol, c in report.reanalysis.by_symbol.items()
    }


def _touched(report: IngestReport, ids: dict[str, int]) -> set[str]:
    """The names of the commentaries the targeted ingest re-analysed."""
    assert report.reanalysis is not None
    assert report.reanalysis.everything is None
    assert report.reanalysis.looked_at == len(CORPUS)
    names = {ident: name for name, ident in ids.items()}
    return {names[i] for i in report.reanalysis.ids}


def _stoplist_line(word: str) -> str:
    (line,) = [
        line for line in catalog.packaged("stoplist.txt").splitlines() if word in line.split()
    ]
    return line


def _stoplist_without(word: str, instead: str = "") -> tuple[tuple[str, str], ...]:
    """The stop list's edit that takes ``word`` out of its line (or writes ``instead``)."""
    line = _stoplist_line(word)
    edited = " ".join(w for w in (instead if w == word else w for w in line.split()) if w)
    return ((line, edited),)


APPLE_CHAIN = "果链 | 苹果概念股"


@dataclass(frozen=True)
class Case:
    before: Setup
    after: Setup
    queries: tuple[str, ...]  # searched on both archives
    touched: set[str]  # the commentaries the targeted ingest re-analyses
    changed: dict[str, tuple[int, int, int]]  # symbol: mentions added, removed, commentaries
    said: tuple[str, ...] | None = None  # the changes the report names, where checked


CASES = {
    "alias added": Case(
        Setup(),
        Setup(aliases="1810.HK,小米汽车\n"),
        ("小米汽车", "小米", "ticker:1810.HK"),
        {"xiaomi_ev"},
        {"1810.HK": (1, 1, 1)},
        ("name 小米汽车 added: 1810.HK", "jieba word 小米汽车 added"),
    ),
    "alias removed": Case(
        Setup(aliases="0700.HK,企鹅\n"),
        Setup(),
        ("企鹅", "ticker:0700.HK"),
        {"penguin"},
        {"0700.HK": (0, 1, 1)},
    ),
    # The old name's texts and the new name's.
    "alias changed": Case(
        Setup(aliases="NVDA,老黄家\n"),
        Setup(aliases="NVDA,老黄\n"),
        ("老黄", "老黄家", "ticker:NVDA"),
        {"jensen", "jensen_family"},
        {"NVDA": (1, 1, 2)},
    ),
    # Both texts that write AMD; only the bare one loses its mention.
    "stop word added": Case(
        Setup(),
        Setup(stoplist=(("", "AMD"),)),
        ("AMD", "ticker:AMD"),
        {"amd_bare", "amd_explicit"},
        {"AMD": (0, 1, 1)},
    ),
    "stop word removed": Case(
        Setup(),
        Setup(stoplist=_stoplist_without("MSCI")),
        ("MSCI", "ticker:MSCI"),
        {"msci"},
        {"MSCI": (1, 0, 1)},
    ),
    "stop word changed": Case(
        Setup(),
        Setup(stoplist=_stoplist_without("MSCI", instead="AMD")),
        ("MSCI", "AMD", "ticker:MSCI", "ticker:AMD"),
        {"msci", "amd_bare", "amd_explicit"},
        {"MSCI": (1, 0, 1), "AMD": (0, 1, 1)},
        ("word AMD added: on the stop list", "word MSCI removed (was on the stop list)"),
    ),
    # 苹果概念股 becomes one word: 苹果 inside it no longer stands on a word boundary.
    "synonym added": Case(
        Setup(),
        Setup(synonyms=(("", APPLE_CHAIN),)),
        ("果链", "苹果概念股", "苹果", "ticker:AAPL"),
        {"apple_chain"},
        {"AAPL": (0, 1, 1)},
    ),
    "synonym removed": Case(
        Setup(synonyms=(("", APPLE_CHAIN),)),
        Setup(),
        ("果链", "苹果概念股", "苹果", "ticker:AAPL"),
        {"apple_chain"},
        {"AAPL": (1, 0, 1)},
    ),
    # A finance word changes the words of the texts that hold it, not their mentions.
    "finance word added": Case(
        Setup(),
        Setup(finance_words=(("", "创新高"),)),
        ("创新高", "新高"),
        {"xiaomi_ev", "amd_bare"},
        {},
        ("jieba word 创新高 added",),
    ),
    "synonym changed": Case(
        Setup(),
        Setup(synonyms=(("加息 | 升息", "加息 | 升息 | 调升利率"),)),
        ("加息", "升息", "调升利率"),
        {"hike"},
        {},
    ),
}


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_a_change_re_analyses_the_texts_it_touches_as_a_full_re_analysis_would(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, case: Case
) -> None:
    report, ids = compare(tmp_path, monkeypatch, case.before, case.after, case.queries)
    assert _touched(report, ids) == case.touched
    assert _changed(report) == case.changed
    assert report.reanalysis is not None
    if case.said is not None:
        assert tuple(report.reanalysis.changes) == case.said


def _archive(tmp_path: Path) -> tuple[Settings, Path]:
    docs = tmp_path / "docs"
    docs.mkdir()
    for name, body in CORPUS.items():
        write_commentary(docs, f"{name}.md", body, date="2026-11-02")
    settings = archive_settings(tmp_path / "data")
    assert ingest(settings, [docs], today=TODAY).reanalysis is None
    return settings, docs


def test_a_changed_analysis_re_analyses_every_commentary_and_says_why(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings, docs = _archive(tmp_path)
    before = _mentions(settings)
    old = basis.analysis_line()
    monkeypatch.setattr(basis, "analysis_line", lambda: "analyzer 99")
    report = ingest(settings, [docs], today=TODAY)
    assert report.reanalysis is not None
    assert report.reanalysis.everything == f"the analysis changed ({old} -> analyzer 99)"
    assert (report.reanalysis.reanalysed, report.reanalysis.changed) == (len(CORPUS), 0)
    assert _mentions(settings) == before
    assert ingest(settings, [docs], today=TODAY).reanalysis is None


def test_an_archive_that_recorded_no_basis_is_re_analysed_once(tmp_path: Path) -> None:
    settings, docs = _archive(tmp_path)
    engine = make_engine(settings)
    try:
        with Session(engine) as session:
            session.execute(delete(AnalysisSource))
            session.commit()
    finally:
        engine.dispose()
    report = ingest(settings, [docs], today=TODAY)
    assert report.reanalysis is not None
    assert report.reanalysis.everything == (
        "the archive does not record what its commentaries were analysed with"
    )
    assert report.reanalysis.reanalysed == len(CORPUS)
    assert ingest(settings, [docs], today=TODAY).reanalysis is None
