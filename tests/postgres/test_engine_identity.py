"""The postgres engine finds what the Whoosh engine finds, over one PostgreSQL database:
for every query of the relevance set and of the benchmark's mix, the same commentaries
(the same total and facets; in date order, the same order). Relevance ranking may
differ between the engines: how far their first pages differ is measured, not asserted.

The relevance archive is ingested with Whoosh and switched to postgres by ``reindex``;
the mix's archive is ingested with postgres and given a Whoosh index by ``reindex``: both
ways an archive gets the other engine's index."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

import pytest
from sqlmodel import Session, select

from app.config import Settings
from app.db import make_engine
from app.ingest import ingest, reindex
from app.instruments import Dictionary, prepare_analysis
from app.models import Commentary
from app.search import Facets, SearchBackend, SearchRequest, open_backend, search
from app.web.queries.search import search_request
from bench import corpus
from bench.queries import mix
from tests.conftest import SEEDS, TODAY, UNBOUNDED, Metric
from tests.databases import archive_settings
from tests.search.test_relevance import CASES, _options, write_corpus

pytestmark = pytest.mark.postgresql

MIX_SIZE = 400  # commentaries of the benchmark corpus: most of the mix finds some
RELEVANCE_SIZE = 24  # the seeds and the relevance corpus
TOP = 10  # a first page


@dataclass(frozen=True)
class Answer:
    total: int
    sort: str
    ids: tuple[int, ...]  # every hit, in the engine's order
    facets: Facets


@dataclass(frozen=True)
class Archive:
    whoosh: SearchBackend
    postgres: SearchBackend
    dictionary: Dictionary
    keys: dict[int, str]  # id -> the stem of its origin file or JSON Lines line


def _keys(settings: Settings) -> dict[int, str]:
    engine = make_engine(settings)
    try:
        with Session(engine) as session:
            return {
                c.id: Path(c.origin_key).stem.split("_")[0]
                for c in session.exec(select(Commentary))
                if c.id is not None
            }
    finally:
        engine.dispose()


def _engine(settings: Settings, name: str) -> Settings:
    return settings.model_copy(update={"search_backend": name})


def _archive(ingested: Settings, other: str) -> Iterator[Archive]:
    """Give the archive ``ingested`` made the ``other`` engine's index too, and open both."""
    assert reindex(_engine(ingested, other)).indexed == len(_keys(ingested))
    engines = {name: open_backend(_engine(ingested, name)) for name in ("whoosh", "postgres")}
    try:
        yield Archive(
            engines["whoosh"],
            engines["postgres"],
            prepare_analysis(ingested.data_dir.resolve()),
            _keys(ingested),
        )
    finally:
        for engine in engines.values():
            engine.close()


@pytest.fixture(scope="module")
def relevance_archive(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Archive]:
    root = tmp_path_factory.mktemp("identity-relevance")
    write_corpus(root / "corpus")
    settings = archive_settings(root / "data", search_backend="whoosh")
    report = ingest(settings, [SEEDS, root / "corpus"], today=TODAY)
    assert report.counts["added"] == RELEVANCE_SIZE, report.as_dict()
    yield from _archive(settings, "postgres")


@pytest.fixture(scope="module")
def mix_archive(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Archive]:
    root = tmp_path_factory.mktemp("identity-mix")
    source = corpus.write(MIX_SIZE, root / "corpus.jsonl")
    settings = archive_settings(root / "data", search_backend="postgres")
    report = ingest(settings, [source], today=TODAY)
    assert (report.counts["added"], report.counts["failed"]) == (MIX_SIZE, 0)
    yield from _archive(settings, "whoosh")


def _answer(engine: SearchBackend, request: SearchRequest, dictionary: Dictionary) -> Answer:
    """Every hit of ``request`` on one page, with the facets over all of them."""
    everything = replace(request, page=1, per_page=MIX_SIZE + RELEVANCE_SIZE)
    page = search(engine, everything, dictionary, budget=UNBOUNDED)
    assert (page.partial, page.total_exact) == (False, True), request
    assert len(page.hits) == page.total, request
    return Answer(page.total, page.sort, tuple(h.id for h in page.hits), page.facets)


@dataclass
class Ranking:
    """How the engines' first pages compare over the relevance-sorted queries."""

    found: int = 0  # queries of any order that find something
    queries: int = 0
    same_page: int = 0  # the same ids in the same order
    same_set: int = 0  # the same ids, in another order
    overlap: float = 0.0  # sum of each page's share of common ids
    shares: list[tuple[float, str]] = field(default_factory=list)  # below 1 only

    def add(self, query: str, whoosh: Answer, postgres: Answer) -> None:
        self.found += whoosh.total > 0
        if whoosh.sort != "relevance" or not whoosh.total:
            return
        mine, theirs = whoosh.ids[:TOP], postgres.ids[:TOP]
        share = len(set(mine) & set(theirs)) / len(mine)
        self.queries += 1
        self.same_page += mine == theirs
        self.same_set += mine != theirs and set(mine) == set(theirs)
        self.overlap += share
        if share < 1:
            self.shares.append((share, query))

    def summary(self) -> str:
        if not self.queries:
            return "no relevance-sorted query found anything"
        lowest = ", ".join(f"{q!r} {share:.1f}" for share, q in sorted(self.shares)[:5])
        return (
            f"{self.queries} relevance-sorted queries: first {TOP} identical in "
            f"{self.same_page}, same ids in another order in {self.same_set}, "
            f"different ids in {self.queries - self.same_page - self.same_set}; mean "
            f"overlap of the first {TOP} {self.overlap / self.queries:.2f}"
            + (f"; lowest: {lowest}" if lowest else "")
        )


def _compare(
    archive: Archive, requests: list[tuple[str, SearchRequest]], ranking: Ranking
) -> list[str]:
    """Where the engines' answers differ other than in relevance order, query by query."""
    differences = []
    for label, request in requests:
        whoosh = _answer(archive.whoosh, request, archive.dictionary)
        postgres = _answer(archive.postgres, request, archive.dictionary)
        if set(whoosh.ids) != set(postgres.ids):
            only_whoosh = sorted(archive.keys[i] for i in set(whoosh.ids) - set(postgres.ids))
            only_postgres = sorted(archive.keys[i] for i in set(postgres.ids) - set(whoosh.ids))
            differences.append(
                f"{label}: only Whoosh finds {only_whoosh}, only postgres finds {only_postgres}"
            )
            continue
        if (whoosh.total, whoosh.sort) != (postgres.total, postgres.sort):
            differences.append(
                f"{label}: total and order {(whoosh.total, whoosh.sort)} on Whoosh, "
                f"{(postgres.total, postgres.sort)} on postgres"
            )
        if whoosh.sort != "relevance" and whoosh.ids != postgres.ids:
            differences.append(f"{label}: {whoosh.sort} first ids differ")
        if whoosh.facets != postgres.facets:
            differences.append(
                f"{label}: facets {whoosh.facets} on Whoosh, {postgres.facets} on postgres"
            )
        ranking.add(label, whoosh, postgres)
    return differences


def test_the_relevance_set_finds_the_same_on_both_engines(
    relevance_archive: Archive, metric: Metric
) -> None:
    archive = relevance_archive
    requests = []
    for case in CASES:
        options = _options(case.get("options", {}))
        requests.append(
            (f"{case['query']}{options or ''}", SearchRequest(case["query"], **options))
        )
    ranking = Ranking()
    assert _compare(archive, requests, ranking) == []
    # And what both find is what the set expects.
    for case, (label, request) in zip(CASES, requests, strict=True):
        found = _answer(archive.postgres, request, archive.dictionary).ids
        assert sorted(archive.keys[i] for i in found) == sorted(case["expect"]), label
    metric("relevance set, postgres vs Whoosh", ranking.summary())


def test_the_benchmark_mix_finds_the_same_on_both_engines(
    mix_archive: Archive, metric: Metric
) -> None:
    archive = mix_archive
    queries = mix()
    assert len(queries) == 220
    requests = [
        (
            f"{q.text} {q.options or ''}".strip(),
            search_request(archive.dictionary, q=q.text, **q.options),
        )
        for q in queries
    ]
    ranking = Ranking()
    assert _compare(archive, requests, ranking) == []
    assert ranking.found >= 180, ranking.found  # the mix is not trivially empty here
    metric(f"benchmark mix at {MIX_SIZE}, postgres vs Whoosh", ranking.summary())
