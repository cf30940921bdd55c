"""The optimised ingest and search paths give exactly the results of a straightforward
reference on the 2,000-commentary benchmark corpus, for every query of the benchmark
mix: same totals, same hits in the same order with the same scores, same facets.

Optimised: terms computed in a pool of processes, several segments written without
compression, one long-lived searcher with cached facet values, aggregates cached.
Reference: Whoosh analyses the text itself, one stock writer, one segment, a new
searcher for every query, Whoosh's own search scoring every match of the compiled
criteria, facets counted from each match's stored fields.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import Session, col, select
from whoosh import index as whoosh_index

from app.config import Settings
from app.db import make_engine
from app.ingest import ingest
from app.instruments import Dictionary, prepare_analysis
from app.models import Commentary
from app.search import Facets, SearchPage, open_backend, search
from app.search.backend import TOP_TICKERS, Found, Hit, IndexStatus, IndexWriter, Lookup, Similar
from app.search.sync import document, mentioned_symbols
from app.search.whoosh import store
from app.search.whoosh.compile import whoosh_filter, whoosh_query
from app.search.whoosh.feeder import Feeder
from app.search.whoosh.schema import build_schema
from app.search.whoosh.writer import index_fields
from app.web.queries.search import SearchResults, search_commentaries, search_request
from bench import corpus
from bench.queries import mix
from tests.conftest import TODAY, UNBOUNDED
from tests.databases import archive_settings

pytestmark = pytest.mark.whoosh

SIZE = 2000
SEGMENT_DOCS = 450  # several segments, one of them partly filled


def _reference_index(settings: Settings, where: Path) -> None:
    where.mkdir()
    ix = whoosh_index.create_in(str(where), build_schema())
    writer = ix.writer()
    engine = make_engine(settings)
    with Session(engine) as session:
        ids = list(session.exec(select(Commentary.id).order_by(col(Commentary.id))))
        for start in range(0, len(ids), 200):
            chunk = [i for i in ids[start : start + 200] if i is not None]
            symbols = mentioned_symbols(session, chunk)
            rows = session.exec(select(Commentary).where(col(Commentary.id).in_(chunk)))
            for commentary in sorted(rows, key=lambda c: c.id or 0):
                assert commentary.id is not None
                fields = index_fields(document(commentary, symbols.get(commentary.id, ())))
                writer.add_document(**fields)
    writer.commit()
    engine.dispose()


@pytest.fixture(scope="module")
def archives(tmp_path_factory: pytest.TempPathFactory) -> tuple[Settings, Path, Dictionary]:
    root = tmp_path_factory.mktemp("identity")
    source = corpus.write(SIZE, root / "corpus.jsonl")
    settings = archive_settings(root / "data")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Feeder.__init__, "__defaults__", (SEGMENT_DOCS,))
        report = ingest(settings, [source], today=TODAY)
    assert (report.counts["added"], report.counts["failed"]) == (SIZE, 0)
    with store.open_current(settings.resolved_index_dir).reader() as reader:
        assert len(list(reader.leaf_readers())) > 1
    reference = root / "reference"
    _reference_index(settings, reference)
    return settings, reference, prepare_analysis(settings.data_dir.resolve())


def _summary(page: SearchPage | SearchResults, hits: list[Any]) -> dict[str, Any]:
    facets = page.facets
    if isinstance(page, SearchResults):  # the page's rows also carry names and labels
        facets = Facets(
            tuple((f.symbol, f.count) for f in page.facets.tickers),
            tuple((f.month, f.count) for f in page.facets.months),
        )
    return {"total": page.total, "sort": page.sort, "hits": hits, "facets": facets}


def _optimised(settings: Settings, dictionary: Dictionary) -> list[dict[str, Any]]:
    engine = make_engine(settings)
    index = open_backend(settings)
    found = []
    for query in mix():
        request = search_request(dictionary, q=query.text, **query.options)
        with Session(engine) as session:
            page = search_commentaries(session, index, request, dictionary, budget=UNBOUNDED)
            assert not page.partial
        found.append(_summary(page, [(h.commentary.id, h.score) for h in page.hits]))
    index.close()
    engine.dispose()
    return found


class _Stock:
    """Stock Whoosh behind the search contract: a new searcher for every lookup, every
    match scored (or sorted) by ``searcher.search``, facets counted from stored fields."""

    name = "whoosh-stock"
    preparer = None

    def __init__(self, where: Path) -> None:
        self.where = where

    def find(self, lookup: Lookup) -> Found:
        ix = whoosh_index.open_dir(str(self.where))
        with ix.searcher() as searcher:
            query = whoosh_query(lookup.criterion, searcher.reader())
            allow = whoosh_filter(lookup.filters)
            if lookup.sort == "relevance":
                results = searcher.search(query, limit=None, filter=allow)
            else:
                results = searcher.search(
                    query,
                    limit=None,
                    filter=allow,
                    sortedby=lookup.sort,
                    reverse=lookup.sort == "newest",
                )
            end = lookup.offset + lookup.limit
            hits = tuple(
                Hit(int(hit["id"]), float(hit.score) if lookup.sort == "relevance" else None)
                for hit in results[lookup.offset : end]
            )
            tickers: Counter[str] = Counter()
            months: Counter[str] = Counter()
            for docnum in results.docs():
                stored = searcher.stored_fields(docnum)
                tickers.update(s for s in (stored.get("tickers") or "").split(",") if s)
                if stored.get("month"):
                    months[stored["month"]] += 1
            top = sorted(tickers.items(), key=lambda item: (-item[1], item[0]))[:TOP_TICKERS]
            facets = Facets(tuple(top), tuple(sorted(months.items(), reverse=True)))
            return Found(hits=hits, total=len(results), facets=facets)

    def similar(self, commentary_id: int, limit: int = 10) -> Sequence[Similar]:
        raise NotImplementedError

    def likeness(self, commentary_id: int, other_id: int) -> float:
        raise NotImplementedError

    def status(self) -> IndexStatus:
        raise NotImplementedError

    def revisions(self) -> dict[int, int]:
        raise NotImplementedError

    def writer(self, *, rebuild: bool = False) -> IndexWriter:
        raise NotImplementedError

    def warm(self) -> None:
        pass  # a new searcher for every query: nothing to read ahead

    def close(self) -> None:
        pass


def _reference(where: Path, dictionary: Dictionary) -> list[dict[str, Any]]:
    found = []
    stock = _Stock(where)
    for query in mix():
        request = search_request(dictionary, q=query.text, **query.options)
        page = search(stock, request, dictionary)
        found.append(_summary(page, [(h.id, h.score) for h in page.hits]))
    return found


def test_optimised_paths_match_the_reference_for_the_whole_mix(
    archives: tuple[Settings, Path, Dictionary],
) -> None:
    settings, reference, dictionary = archives
    live = whoosh_index.open_dir(str(reference))
    assert live.doc_count() == SIZE
    optimised = _optimised(settings, dictionary)
    expected = _reference(reference, dictionary)
    queries = mix()
    assert len(optimised) == len(expected) == len(queries) >= 200
    for query, mine, theirs in zip(queries, optimised, expected, strict=True):
        assert (mine["total"], mine["sort"]) == (theirs["total"], theirs["sort"]), query
        assert [i for i, _ in mine["hits"]] == [i for i, _ in theirs["hits"]], query
        for (_, score), (_, other) in zip(mine["hits"], theirs["hits"], strict=True):
            assert (score is None) is (other is None), query
            if score is not None:
                assert score == pytest.approx(other, rel=1e-9), query
        assert mine["facets"] == theirs["facets"], query
    # The mix is not trivially empty: most queries find something.
    assert sum(1 for r in expected if r["total"] > 0) >= 200
