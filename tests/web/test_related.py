"""Related commentaries: only those above the similarity thresholds, measured on the
seeds and on the relevance corpus with a one-company note added.

Each engine measures likeness its own way and sets its own threshold
(``SearchBackend.related_from``), so a list may differ by engine: where it does, the
expected list names the engine (the postgres engine's measure weighs no word against
the archive, so the long letters 001, 002 and 004 come closer)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.db import make_engine
from app.ingest import ingest
from app.ingest.pipeline import prepare_search
from app.models import Commentary
from app.search import SearchBackend, open_backend
from app.web.queries.related import closeness, related
from tests.conftest import SEED_000, SEED_001, SEED_002, SEED_003, SEED_004, SEEDS, TODAY
from tests.databases import TEST_SEARCH_BACKEND, archive_settings
from tests.search.test_relevance import write_corpus

MAOTAI = """---
title: 贵州茅台年报点评
date: "2025-04-02"
---
# 贵州茅台年报点评

**贵州茅台**（600519）2024 年营收同比增长 15%，净利润增长 15%。

- 直销渠道占比继续提升，i茅台贡献明显。
- 批价保持稳定，经销商库存健康。

我们维持对白酒龙头的乐观判断，估值处于历史中枢下方。
"""


def _engine(expected: list[str] | dict[str, list[str]]) -> list[str]:
    """The list expected of the run's engine (one list: the same for every engine)."""
    return expected if isinstance(expected, list) else expected[TEST_SEARCH_BACKEND]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (SEED_000, []),
        (SEED_001, {"whoosh": [SEED_004], "postgres": [SEED_004, SEED_002]}),
        (SEED_002, {"whoosh": [SEED_004], "postgres": [SEED_004, SEED_001]}),
        (SEED_003, [SEED_004]),
        # Best first: words in common (Whoosh: 0.27, 0.26, 0.19 of their own scores).
        (
            SEED_004,
            {
                "whoosh": [SEED_001, SEED_002, SEED_003],
                "postgres": [SEED_002, SEED_001, SEED_003],
            },
        ),
    ],
)
def test_related_seeds(
    client: TestClient,
    seed_ids: dict[str, int],
    name: str,
    expected: list[str] | dict[str, list[str]],
) -> None:
    expected = _engine(expected)
    data = client.get(f"/api/commentaries/{seed_ids[name]}").json()
    assert [r["id"] for r in data["related"]] == [seed_ids[other] for other in expected]
    html = client.get(f"/c/{seed_ids[name]}").text
    assert ('<h2 id="related">相关评论</h2>' in html) == bool(expected)


@pytest.fixture(scope="module")
def corpus(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[Session, SearchBackend, dict[str, Commentary]]]:
    root = tmp_path_factory.mktemp("related")
    write_corpus(root / "corpus")
    (root / "extra").mkdir()
    (root / "extra" / "maotai.md").write_text(MAOTAI, "utf-8")
    settings = archive_settings(root / "data")
    report = ingest(settings, [SEEDS, root / "corpus", root / "extra"], today=TODAY)
    assert report.counts["added"] == 25, report.as_dict()
    prepare_search(settings)
    engine = make_engine(settings)
    index = open_backend(settings)
    with Session(engine) as session:
        docs = {Path(c.origin_key).stem.split("_")[0]: c for c in session.exec(select(Commentary))}
        yield session, index, docs
    index.close()
    engine.dispose()


def _related(corpus: tuple[Session, SearchBackend, dict[str, Commentary]], key: str) -> list[str]:
    session, index, docs = corpus
    keys = {c.id: k for k, c in docs.items()}
    return [keys[c.id] for c in related(session, index, docs[key])]


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("maotai", []),  # every other commentary was listed before the threshold
        ("r12", []),  # one line on rate cuts: only common words in the long letters
        ("r09", []),  # 黄金周 spending is not gold prices (r08)
        ("r05", ["r06"]),  # TSMC and Apple: words and companies
        ("r06", ["r05"]),
        ("r10", ["r11"]),  # Broadcom, named in English and in Chinese
        ("r08", ["r20"]),  # gold
        # AI spending: Meta, Microsoft, Amazon
        ("003", {"whoosh": ["r18"], "postgres": ["004", "r18"]}),
        ("001", {"whoosh": ["004"], "postgres": ["004", "002"]}),
        ("004", {"whoosh": ["001", "002"], "postgres": ["002", "001", "003"]}),
        ("r11", ["r04", "r03", "r02", "r10"]),  # Broadcom and Nvidia: companies alone
    ],
)
def test_related_corpus(
    corpus: tuple[Session, SearchBackend, dict[str, Commentary]],
    key: str,
    expected: list[str] | dict[str, list[str]],
) -> None:
    assert _related(corpus, key) == _engine(expected)


def test_related_is_symmetric_on_the_corpus(
    corpus: tuple[Session, SearchBackend, dict[str, Commentary]],
) -> None:
    session, index, docs = corpus
    near = {k: set(_related(corpus, k)) for k in docs}
    for key, others in near.items():
        for other in others:
            measured = closeness(session, index, docs[other])[docs[key].id or 0]
            assert measured.related, (key, other, measured)
