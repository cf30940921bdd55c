"""Key words stored at ingest, and the likeness of commentaries drawn from them.

The stored key words are the same whether the ingest workers computed the terms or
Whoosh analysed the text itself. On the seeds and the relevance corpus they give the
key terms, similar commentaries and likeness that drawing key terms from the bodies
themselves gave (``_reference_query``, as ``app.search.whoosh.similar`` did before)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select
from whoosh import query
from whoosh.searching import Searcher

from app.config import Settings
from app.db import make_engine
from app.ingest import ingest
from app.models import Commentary
from app.search.sync import sync_index
from app.search.whoosh import store
from app.search.whoosh.reader import SearchIndex
from app.search.whoosh.schema import text_field
from app.search.whoosh.similar import KEY_TERMS, key_terms, likeness, similar
from app.search.whoosh.store import StaleIndex
from app.search.keywords import key_words, read_key_words, topical
from app.search.whoosh.terms import document_terms
from app.search.whoosh.writer import open_writer
from tests.conftest import SEEDS, TODAY
from tests.databases import archive_settings
from tests.search.test_relevance import write_corpus

TEXT = "英伟达发布新芯片，英伟达股价上涨3.5%。AI 芯片需求强劲，的的的。"


def test_key_words_of_a_short_text() -> None:
    # 19 terms in all; 新, 的 and the numbers 3.5, 3, 5 are not topical. 伟达 is
    # 英伟达's dictionary sub-word, indexed at the same place. Rarer words by jieba's
    # dictionary come first among words of the same weight; ai is not in it.
    encoded = document_terms("", TEXT).keys
    assert encoded == "19 英伟达:2 伟达:2 芯片:2 ai:1 强劲:1 股价:1 上涨:1 需求:1 发布:1"
    assert read_key_words(encoded) == (
        19.0,
        [
            ("英伟达", 2.0),
            ("伟达", 2.0),
            ("芯片", 2.0),
            ("ai", 1.0),
            ("强劲", 1.0),
            ("股价", 1.0),
            ("上涨", 1.0),
            ("需求", 1.0),
            ("发布", 1.0),
        ],
    )


def test_key_words_keep_64_heaviest_first() -> None:
    # Words jieba's dictionary lacks all count as rare: the heaviest come first.
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
    # No preparer: Whoosh analyses the text itself.
    sync_index(open_writer(tmp_path / "plain"), engine, preparer=None)
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


def _reference_query(searcher: Searcher, text: str) -> query.Query | None:
    """The key terms as they were drawn from the body itself before they were stored."""
    drawn = searcher.key_terms_from_text("body", text, numterms=40)
    terms = [(word, weight) for word, weight in drawn if topical(word)][:KEY_TERMS]
    if not terms:
        return None
    return query.Or([query.Term("body", word, boost=weight) for word, weight in terms])


def _reference_scores(searcher: Searcher, q: query.Query) -> dict[int, float]:
    return {int(hit["id"]): float(hit.score) for hit in searcher.search(q, limit=None)}


def test_likeness_is_what_the_bodies_gave(archive: tuple[Settings, Engine]) -> None:
    settings, engine = archive
    bodies = _bodies(engine)
    with store.open_current(settings.resolved_index_dir).searcher() as searcher:
        for doc_id, body in bodies.items():
            docnum = searcher.document_number(id=str(doc_id))
            q = _reference_query(searcher, body)
            assert q is not None
            drawn = key_terms(searcher, docnum)
            assert [word for word, _ in drawn] == [term.text for term in q.subqueries]
            # The same weights up to a common factor (Whoosh normalises by the heaviest
            # of all the body's words, topical or not), which no share depends on.
            factor = q.subqueries[0].boost / drawn[0][1]
            assert [weight * factor for _, weight in drawn] == pytest.approx(
                [term.boost for term in q.subqueries], rel=1e-12
            )
            scores = _reference_scores(searcher, q)
            own = scores[doc_id]
            expected = sorted(
                ((other, score / own) for other, score in scores.items() if other != doc_id),
                key=lambda pair: (-pair[1], pair[0]),
            )
            found = similar(searcher, doc_id, 30)
            assert [other for other, _ in found] == [other for other, _ in expected[:30]]
            assert [share for _, share in found] == pytest.approx(
                [share for _, share in expected[:30]], rel=1e-12
            )
            for other in bodies:
                assert likeness(searcher, doc_id, other) == pytest.approx(
                    scores.get(other, 0.0) / own, rel=1e-12
                )


def test_nothing_is_like_what_is_not_indexed(archive: tuple[Settings, Engine]) -> None:
    settings, engine = archive
    some = min(_bodies(engine))
    with store.open_current(settings.resolved_index_dir).searcher() as searcher:
        assert similar(searcher, 10**6) == []
        assert likeness(searcher, 10**6, some) == 0.0
        assert likeness(searcher, some, 10**6) == 0.0
