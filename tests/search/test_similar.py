"""Key words stored at ingest, and the likeness of commentaries drawn from them.

The stored key words are the same whether the ingest workers computed the terms or
Whoosh analysed the text itself."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from app.config import Settings
from app.db import make_engine
from app.ingest import ingest
from app.models import Commentary
from app.search import SearchIndex, StaleIndex, store
from app.search.indexer import open_target
from app.search.schema import text_field
from app.search.terms import document_terms, key_words, read_key_words
from tests.conftest import SEEDS, TODAY
from tests.databases import archive_settings
from tests.search.test_relevance import write_corpus

TEXT = "英伟达发布新芯片，英伟达股价上涨3.5%。AI 芯片需求强劲，的的的。"


def test_key_words_of_a_short_text() -> None:
    # 19 terms in all; 新, 的 and the numbers 3.5, 3, 5 are not topical. 伟达 is
    # 英伟达's dictionary sub-word, indexed at the same place.
    encoded = document_terms("", TEXT).keys
    assert encoded == "19 伟达:2 芯片:2 英伟达:2 ai:1 上涨:1 发布:1 强劲:1 股价:1 需求:1"
    assert read_key_words(encoded) == (
        19.0,
        [
            ("伟达", 2.0),
            ("芯片", 2.0),
            ("英伟达", 2.0),
            ("ai", 1.0),
            ("上涨", 1.0),
            ("发布", 1.0),
            ("强劲", 1.0),
            ("股价", 1.0),
            ("需求", 1.0),
        ],
    )


def test_key_words_keep_the_heaviest_64() -> None:
    body = " ".join(f"w{i:03d} " * (1 + i % 5) for i in range(100))
    total, kept = read_key_words(document_terms("", body).keys)
    assert total == sum(1 + i % 5 for i in range(100))
    weights = [(-(1 + i % 5), f"w{i:03d}") for i in range(100)]
    assert kept == [(word, -weight) for weight, word in sorted(weights)[:64]]


def test_key_words_of_an_empty_body() -> None:
    assert document_terms("题", "").keys == "0"
    assert read_key_words("0") == (0.0, [])


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Settings, Engine]]:
    root = tmp_path_factory.mktemp("similar")
    write_corpus(root / "corpus")
    settings = archive_settings(root / "data")
    report = ingest(settings, [SEEDS, root / "corpus"], today=TODAY)
    assert report.counts["added"] == 24, report.as_dict()
    engine = make_engine(settings)
    yield settings, engine
    engine.dispose()


def _bodies(engine: Engine) -> dict[int, str]:
    with Session(engine) as session:
        return {c.id: c.body for c in session.exec(select(Commentary)) if c.id is not None}


def _stored_keys(index_dir: Path) -> dict[int, str]:
    with store.open_current(index_dir).searcher() as searcher:
        return {int(f["id"]): f["keys"] for f in searcher.all_stored_fields()}


def test_both_paths_store_the_same_key_words(
    archive: tuple[Settings, Engine], tmp_path: Path
) -> None:
    settings, engine = archive
    pooled = _stored_keys(settings.resolved_index_dir)  # terms from the ingest workers
    target = open_target(tmp_path / "plain")
    target.finish(engine)  # no pool: Whoosh analyses the text itself
    plain = _stored_keys(tmp_path / "plain")
    assert plain == pooled
    bodies = _bodies(engine)
    assert set(pooled) == set(bodies)
    for doc_id, body in bodies.items():
        from_text = key_words(text_field("body").index(body))
        assert pooled[doc_id] == from_text == document_terms("", body).keys


def test_an_index_without_stored_key_words_is_stale(
    index_commentary: Callable[..., int], settings: Settings
) -> None:
    index_commentary("降息。")
    generation = store.current_generation(settings.resolved_index_dir)
    assert generation is not None
    meta_file = generation / store.META
    meta = json.loads(meta_file.read_text("utf-8"))
    assert meta["schema_version"] == 4
    meta["schema_version"] = 3
    meta_file.write_text(json.dumps(meta), "utf-8")
    with pytest.raises(StaleIndex) as info:
        store.open_current(settings.resolved_index_dir)
    assert str(info.value) == (
        "the search index was built with a different schema_version: run `archive reindex`"
    )
    index = SearchIndex(settings.resolved_index_dir)
    assert index.status() == (str(info.value), 0)
    index.close()
