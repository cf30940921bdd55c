"""The relevance set: our own queries over the seeds and a corpus of our own, each with
the exact set of commentaries it must find."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlmodel import Session, select

from app.db import make_engine
from app.ingest import ingest
from app.instruments import prepare_analysis
from app.models import Commentary
from app.search import SearchBackend, SearchRequest, open_backend, search
from tests.conftest import SEEDS, TODAY, UNBOUNDED
from tests.databases import archive_settings

DATA = Path(__file__).with_name("data")
CASES = yaml.safe_load((DATA / "relevance.yaml").read_text("utf-8"))


def write_corpus(folder: Path) -> None:
    """``corpus.yaml`` as Markdown files with front matter, one per commentary."""
    folder.mkdir(parents=True, exist_ok=True)
    for doc in yaml.safe_load((DATA / "corpus.yaml").read_text("utf-8")):
        front = {k: doc[k] for k in ("title", "date", "source") if k in doc}
        lines = [f"{k}: {json.dumps(v, ensure_ascii=False)}" for k, v in front.items()]
        (folder / f"{doc['key']}.md").write_text(
            "---\n" + "\n".join(lines) + f"\n---\n{doc['body']}\n", "utf-8"
        )


@pytest.fixture(scope="module")
def archive(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[SearchBackend, dict[int, str]]]:
    root = tmp_path_factory.mktemp("relevance")
    write_corpus(root / "corpus")
    settings = archive_settings(root / "data")
    report = ingest(settings, [SEEDS, root / "corpus"], today=TODAY)
    assert report.counts["added"] == 24, report.as_dict()
    engine = make_engine(settings)
    with Session(engine) as session:
        keys = {
            c.id: Path(c.origin_key).stem.split("_")[0]
            for c in session.exec(select(Commentary))
            if c.id is not None
        }
    engine.dispose()
    index = open_backend(settings)
    yield index, keys
    index.close()


def _options(raw: dict[str, Any]) -> dict[str, Any]:
    options = dict(raw)
    for name in ("start", "end"):
        if name in options:
            options[name] = dt.date.fromisoformat(options[name])
    if "tickers" in options:
        options["tickers"] = tuple(options["tickers"])
    return options


def test_the_set_is_large_enough() -> None:
    assert len(CASES) >= 30


@pytest.mark.parametrize("case", CASES, ids=[f"{c['query']}{c.get('options', '')}" for c in CASES])
def test_query_finds_exactly(
    archive: tuple[SearchBackend, dict[int, str]], case: dict[str, Any]
) -> None:
    index, keys = archive
    request = SearchRequest(text=case["query"], per_page=100, **_options(case.get("options", {})))
    page = search(index, request, prepare_analysis(None), budget=UNBOUNDED)
    found = sorted(keys[hit.id] for hit in page.hits)
    assert found == sorted(case["expect"])
    assert page.total == len(found)


def test_a_title_match_ranks_first(archive: tuple[SearchBackend, dict[int, str]]) -> None:
    index, keys = archive
    page = search(index, SearchRequest(text="降息 周期"), prepare_analysis(None), budget=UNBOUNDED)
    assert keys[page.hits[0].id] == "r20"
