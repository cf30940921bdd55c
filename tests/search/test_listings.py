"""An issuer's listings: a name, a ``ticker:`` value and a ticker filter find the
commentaries tagged with any listing of the same issuer (TSMC: 2330.TW and TSM)."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from whoosh import query as wq

from app.config import Settings
from app.instruments.named import Named
from app.search import SearchRequest, open_backend, search
from app.search.planner import plan
from app.search.searching import listings
from app.search.syntax import parse
from app.search.whoosh.compile import ticker_query, whoosh_query
from tests.conftest import UNBOUNDED

TSMC = Named("2330.TW", ("2330.TW", "台积电", "台積電", "TSMC"), ("2330.TW", "TSM"))
TSMC_ADR = Named("TSM", TSMC.names, ("2330.TW", "TSM"))


class FakeNames:
    """Names as the dictionary will give them once it knows listings."""

    def named(self, word: str) -> Named | None:
        return TSMC if word in ("台积电", "台積電") else None

    def ticker(self, code: str) -> Named | None:
        return {"2330.TW": TSMC, "TSM": TSMC_ADR}.get(code.upper())


def test_named_symbols_put_the_symbol_first() -> None:
    assert TSMC.symbols == ("2330.TW", "TSM")
    assert TSMC_ADR.symbols == ("TSM", "2330.TW")
    assert Named("NVDA", ("NVDA",)).symbols == ("NVDA",)


@pytest.mark.whoosh
def test_ticker_query_ors_the_listings() -> None:
    assert ticker_query(("NVDA",)) == wq.Term("tickers", "NVDA")
    assert ticker_query(("TSM", "2330.TW", "TSM")) == wq.Or(
        [wq.Term("tickers", "TSM"), wq.Term("tickers", "2330.TW")]
    )
    names = FakeNames()
    criterion = plan(parse("ticker:TSM"), names).criterion
    assert whoosh_query(criterion, None) == ticker_query(("TSM", "2330.TW"))
    assert listings("2330.TW", names) == ("2330.TW", "TSM")
    assert listings("NVDA", names) == ("NVDA",)
    assert listings("TSM", None) == ("TSM",)


@pytest.fixture
def tsmc(index_commentary: Callable[..., int]) -> dict[str, int]:
    return {
        "taipei": index_commentary("今日 2330.TW 收高，外资买超。"),
        "adr": index_commentary("$TSM$ 盘前上涨两个百分点。"),
        "name": index_commentary("台積電法說會釋出樂觀展望。"),
        "other": index_commentary("$NVDA$ 财报在即。"),
    }


@pytest.fixture
def found(settings: Settings) -> Iterator[Callable[..., set[int]]]:
    index = open_backend(settings)

    def _found(text: str = "", **options: object) -> set[int]:
        request = SearchRequest(text=text, per_page=100, **options)  # type: ignore[arg-type]
        return {hit.id for hit in search(index, request, FakeNames(), budget=UNBOUNDED).hits}

    yield _found
    index.close()


def test_any_listing_finds_the_issuer(tsmc: dict[str, int], found: Callable[..., set[int]]) -> None:
    issuer = {tsmc["taipei"], tsmc["adr"], tsmc["name"]}
    # The extractor tags each text with one listing (台積電 with the primary one);
    # whichever it chose, every listing finds all three.
    for query in ("ticker:2330.TW", "ticker:TSM", "台积电", "台積電"):
        assert found(query) == issuer, query
    assert found("台积电", literal=True) == {tsmc["name"]}
    assert found("ticker:2330.TW -$TSM$") == set()
    # A filter from a URL or the ticker facet spans the listings the same way.
    assert found(tickers=("2330.TW",)) == found(tickers=("TSM",)) == issuer
    assert found(tickers=("NVDA",)) == {tsmc["other"]}
