"""The array finder gives what stock Whoosh gives for the same compiled query: the same
total, hits in the same order with the same scores, and the same facets, over indexes
with several segments and deleted documents; and a spent budget gives a partial answer
that only holds matches."""

from __future__ import annotations

import datetime as dt
import itertools
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from whoosh.index import FileIndex, create_in
from whoosh.searching import Searcher
from whoosh.writing import NO_MERGE

from app.search.backend import Filters, Found, Hit, Lookup, Sort
from app.search.criteria import (
    AllOf,
    AnyOf,
    Criterion,
    During,
    Nothing,
    Prefix,
    Source,
    Tagged,
    Without,
    Words,
)
from app.search.sync import document
from app.search.whoosh import deadline as deadline_module
from app.search.whoosh.compile import whoosh_filter, whoosh_query
from app.search.whoosh.feeder import open_writer
from app.search.whoosh.finder import find
from app.search.whoosh.schema import build_schema
from app.search.whoosh.writer import index_fields
from bench import reference_facets as facet_counts

pytestmark = pytest.mark.whoosh

WORDS = ("alpha", "beta", "gamma", "delta", "alps", "betamax", "omega")
STEMS = ("al", "be", "g", "om", "zz")
SYMBOLS = ("AAA", "BBB", "CCC", "DDD", "EEE")
SOURCES = ("wire", "desk")
FIRST_DAY = dt.date(2025, 1, 1)


@dataclass
class Doc:
    id: int
    title: str
    body: str
    published: dt.date | None
    date_precision: str
    source: str | None
    declared_ticker_list: list[str] = field(default_factory=list)
    revision: int = 1


def random_doc(rng: random.Random, doc_id: int) -> Doc:
    def text(most: int) -> str:
        return " ".join(rng.choice(WORDS) for _ in range(rng.randint(0, most)))

    published = None
    precision = "none"
    if rng.random() < 0.8:
        published = FIRST_DAY + dt.timedelta(days=rng.randint(0, 120))
        precision = rng.choice(("day", "month"))
        if precision == "month":
            published = published.replace(day=1)
    return Doc(
        id=doc_id,
        title=text(4),
        body=text(30),
        published=published,
        date_precision=precision,
        source=rng.choice(SOURCES).title() if rng.random() < 0.7 else None,
        declared_ticker_list=rng.sample(SYMBOLS, rng.randint(0, 3)),
    )


def build_index(path: Path, seed: int, segments: int = 4, per_segment: int = 30) -> FileIndex:
    """Segments of random documents; later segments replace and delete earlier ones."""
    rng = random.Random(seed)
    index = create_in(str(path), build_schema())
    next_id = 1
    for _ in range(segments):
        writer = open_writer(index)
        for _ in range(per_segment):
            if next_id > 10 and rng.random() < 0.2:
                doc = random_doc(rng, rng.randint(1, next_id - 1))
                writer.update_document(**index_fields(document(doc, ())))
            else:
                writer.add_document(**index_fields(document(random_doc(rng, next_id), ())))
                next_id += 1
        if next_id > 10:
            writer.delete_by_term("id", str(rng.randint(1, next_id - 1)))
        writer.commit(mergetype=NO_MERGE)
    return index


def reference(searcher: Searcher, lookup: Lookup) -> Found:
    """What stock Whoosh finds, scoring and counting every match."""
    query = whoosh_query(lookup.criterion, searcher.reader())
    options: dict[str, Any] = {"limit": None, "filter": whoosh_filter(lookup.filters)}
    if lookup.sort != "relevance":
        options.update(sortedby=lookup.sort, reverse=lookup.sort == "newest")
    results = searcher.search(query, **options)
    end = lookup.offset + lookup.limit
    relevance = lookup.sort == "relevance"
    hits = tuple(
        Hit(int(hit["id"]), float(hit.score) if relevance else None)
        for hit in results[lookup.offset : end]
    )
    matched = results.docs()
    counted = facet_counts.count(searcher, matched)
    return Found(hits=hits, total=len(matched), facets=counted if lookup.facets else None)  # type: ignore[arg-type]


def assert_same(found: Found, expected: Found) -> None:
    assert found.partial is False and found.total_exact is True
    assert found.total == expected.total
    assert [h.id for h in found.hits] == [h.id for h in expected.hits]
    for hit, want in zip(found.hits, expected.hits, strict=True):
        if want.score is None:
            assert hit.score is None
        else:
            assert hit.score == pytest.approx(want.score, rel=1e-9)
    if expected.facets is not None:
        assert found.facets.tickers == expected.facets.tickers
        assert found.facets.months == expected.facets.months


@pytest.fixture(scope="module")
def searcher(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Searcher]:
    index = build_index(tmp_path_factory.mktemp("finder"), seed=15)
    with index.searcher() as s:
        assert len(s.subsearchers) > 1
        assert s.doc_count() < s.doc_count_all()  # some documents are deleted
        yield s


def days(offset: int) -> dt.date:
    return FIRST_DAY + dt.timedelta(days=offset)


words = st.one_of(
    st.tuples(st.sampled_from(WORDS)),
    st.lists(st.sampled_from(WORDS), min_size=2, max_size=3).map(tuple),
).map(Words)
dates = st.one_of(
    st.builds(During, st.integers(-10, 130).map(days), st.none()),
    st.builds(During, st.none(), st.integers(-10, 130).map(days)),
    st.builds(During, st.integers(-10, 60).map(days), st.integers(60, 130).map(days)),
)
leaves = st.one_of(
    words,
    words,
    st.sampled_from(STEMS).map(Prefix),
    st.lists(st.sampled_from(SYMBOLS), min_size=1, max_size=3).map(tuple).map(Tagged),
    st.sampled_from((*SOURCES, "none")).map(Source),
    dates,
    st.just(Nothing()),
)


def trees(children: st.SearchStrategy[Criterion]) -> st.SearchStrategy[Criterion]:
    return st.one_of(
        st.lists(children, min_size=1, max_size=3).map(tuple).map(AnyOf),
        st.builds(
            lambda pos, neg: AllOf((*pos, *(Without(n) for n in neg))),
            st.lists(children, min_size=1, max_size=3),
            st.lists(children, max_size=2),
        ),
    )


criteria = st.one_of(
    st.none(),
    st.recursive(leaves, trees, max_leaves=6),
    st.recursive(leaves, trees, max_leaves=3).map(Without),
)
filters = st.builds(
    Filters,
    st.lists(st.lists(st.sampled_from(SYMBOLS), min_size=1, max_size=2).map(tuple), max_size=2).map(
        tuple
    ),
    st.one_of(st.none(), st.integers(0, 100).map(days)),
    st.one_of(st.none(), st.integers(20, 130).map(days)),
)
sorts: st.SearchStrategy[Sort] = st.sampled_from(("relevance", "newest", "oldest"))


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    criterion=criteria,
    filtered=filters,
    sort=sorts,
    offset=st.integers(0, 30),
    limit=st.integers(1, 40),
)
def test_same_as_stock_whoosh(
    searcher: Searcher,
    criterion: Criterion | None,
    filtered: Filters,
    sort: Sort,
    offset: int,
    limit: int,
) -> None:
    lookup = Lookup(criterion, filtered, sort, offset, limit)
    assert_same(find(searcher, lookup), reference(searcher, lookup))


def test_no_budget_finds_nothing_and_says_so(searcher: Searcher) -> None:
    found = find(searcher, Lookup(Words(("alpha",)), budget=0.0))
    assert (found.hits, found.total, found.total_exact, found.partial) == ((), 0, False, True)


BUDGETED = (
    AnyOf((Words(("alpha",)), Words(("gamma", "beta")), Prefix("be"))),
    AllOf((Prefix("al"), Without(Words(("beta",))), Tagged(("AAA", "BBB")))),
    Without(AnyOf((Words(("omega",)), Source("wire")))),
)


@pytest.mark.parametrize("criterion", BUDGETED)
def test_a_spent_budget_only_finds_matches(
    searcher: Searcher, monkeypatch: pytest.MonkeyPatch, criterion: Criterion
) -> None:
    """Each look at the clock takes a second: every budget stops the search at a
    different step, and whatever it found by then matches."""
    lookup = Lookup(criterion, Filters(tickers=(("CCC", "DDD"),)), limit=1000, facets=False)
    expected = reference(searcher, lookup)
    everything = {hit.id for hit in expected.hits}
    partial = 0
    for budget in range(40):
        monkeypatch.setattr(deadline_module, "now", itertools.count().__next__)
        found = find(searcher, Lookup(criterion, lookup.filters, limit=1000, budget=budget))
        assert {hit.id for hit in found.hits} <= everything
        assert found.total == len(found.hits) <= expected.total
        assert found.total_exact is not found.partial
        partial += found.partial
        if not found.partial:
            assert_same(found, expected)
    assert 0 < partial < 40


def test_an_empty_index_finds_nothing(tmp_path: Path) -> None:
    index = create_in(str(tmp_path), build_schema())
    with index.searcher() as empty:
        for criterion in (None, Words(("alpha",)), Without(Words(("alpha", "beta")))):
            found = find(empty, Lookup(criterion, Filters(start=FIRST_DAY)))
            assert found == Found(hits=(), total=0)


def test_one_segment_without_deletions(tmp_path: Path) -> None:
    index = build_index(tmp_path, seed=3, segments=1, per_segment=40)
    with index.searcher() as one:
        assert one.doc_count() == one.doc_count_all() == 40
        for sort in ("relevance", "newest", "oldest"):
            lookup = Lookup(AnyOf((Words(("alpha", "beta")), Prefix("g"))), sort=sort, limit=50)
            assert_same(find(one, lookup), reference(one, lookup))
