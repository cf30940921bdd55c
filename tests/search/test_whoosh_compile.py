"""The criteria tree compiles to the Whoosh queries the query language always built."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from whoosh import query as wq

from app.search.backend import Filters
from app.search.criteria import (
    MAX_PREFIX_WORDS,
    AllOf,
    AnyOf,
    During,
    Nothing,
    Prefix,
    Source,
    Tagged,
    Without,
    Words,
)
from app.search.planner import plan
from app.search.syntax import parse
from app.search.whoosh.compile import whoosh_filter, whoosh_query

pytestmark = pytest.mark.whoosh

DAY = dt.date(2025, 3, 20)


class FakeLexicon:
    def __init__(self, words: dict[str, list[str]]) -> None:
        self.words = words

    def expand_prefix(self, fieldname: str, prefix: str) -> Iterator[bytes | str]:
        for word in self.words.get(fieldname, []):
            if word.startswith(prefix):
                yield word.encode("utf-8") if fieldname == "body" else word


def text(word: str) -> wq.Query:
    return wq.Or([wq.Term("title", word), wq.Term("body", word)])


def test_leaves() -> None:
    assert whoosh_query(Words(("降息",)), None) == text("降息")
    assert whoosh_query(Words(("美联储", "降息")), None) == wq.Or(
        [wq.Phrase("title", ["美联储", "降息"]), wq.Phrase("body", ["美联储", "降息"])]
    )
    assert whoosh_query(Tagged(("NVDA",)), None) == wq.Term("tickers", "NVDA")
    assert whoosh_query(Tagged(("TSM", "2330.TW", "TSM")), None) == wq.Or(
        [wq.Term("tickers", "TSM"), wq.Term("tickers", "2330.TW")]
    )
    assert whoosh_query(Source("reuters"), None) == wq.Term("source", "reuters")
    assert whoosh_query(Nothing(), None) is wq.NullQuery
    assert whoosh_query(None, None) == wq.Every()


def test_dates_are_overlaps_of_day_ordinals() -> None:
    start, end = dt.date(2025, 1, 1), dt.date(2025, 12, 31)
    assert whoosh_query(During(start, None), None) == wq.NumericRange(
        "date_to", start.toordinal(), None
    )
    assert whoosh_query(During(None, end), None) == wq.NumericRange(
        "date_from", None, end.toordinal()
    )
    assert whoosh_query(During(start, end), None) == wq.And(
        [
            wq.NumericRange("date_to", start.toordinal(), None),
            wq.NumericRange("date_from", None, end.toordinal()),
        ]
    )


def test_prefixes_expand_from_the_lexicon() -> None:
    lexicon = FakeLexicon({"title": ["降准", "降息"], "body": ["降息", "降温", "涨"]})
    assert whoosh_query(Prefix("降"), lexicon) == wq.Or(
        [wq.Term(f, w) for w in ("降准", "降息", "降温") for f in ("title", "body")]
    )
    assert whoosh_query(Prefix("跌"), lexicon) is wq.NullQuery
    assert whoosh_query(Prefix("降"), None) is wq.NullQuery


def test_prefixes_take_at_most_max_words_per_field() -> None:
    many = [f"a{i:03d}" for i in range(MAX_PREFIX_WORDS + 10)]
    lexicon = FakeLexicon({"title": many, "body": many[5:]})
    query = whoosh_query(Prefix("a"), lexicon)
    assert isinstance(query, wq.Or)
    terms = {q.text for q in query.subqueries}
    assert terms == set(many[: MAX_PREFIX_WORDS + 5])


def test_trees() -> None:
    a, b = Words(("财报",)), Words(("期权",))
    assert whoosh_query(AllOf((a, Without(b))), None) == wq.And(
        [text("财报"), wq.Not(text("期权"))]
    )
    assert whoosh_query(AnyOf((a, b, a)), None) == wq.Or([text("财报"), text("期权")])
    assert whoosh_query(AllOf((a, a)), None) == text("财报")
    assert whoosh_query(Without(b), None) == wq.And([wq.Every(), wq.Not(text("期权"))])
    assert whoosh_query(AllOf((Without(a), Without(b))), None) == wq.And(
        [wq.Every(), wq.And([wq.Not(text("财报")), wq.Not(text("期权"))])]
    )


def test_filters() -> None:
    assert whoosh_filter(Filters()) is None
    assert whoosh_filter(Filters(tickers=(("NVDA",),))) == wq.Term("tickers", "NVDA")
    assert whoosh_filter(Filters(tickers=(("TSM", "2330.TW"), ("NVDA",)), end=DAY)) == wq.And(
        [
            wq.Or([wq.Term("tickers", "TSM"), wq.Term("tickers", "2330.TW")]),
            wq.Term("tickers", "NVDA"),
            wq.NumericRange("date_from", None, DAY.toordinal()),
        ]
    )


def test_the_query_language_plans_these_criteria() -> None:
    cases = {
        "财报 -期权": AllOf((Words(("财报",)), Without(Words(("期权",))))),
        '"美联储 降息" OR 降*': AnyOf((Words(("美联储", "降息")), Prefix("降"))),
        "-期权": Without(Words(("期权",))),
        "ticker:NVDA source:Reuters": AllOf((Tagged(("NVDA",)), Source("reuters"))),
        "from:2025-03 财报": AllOf((During(dt.date(2025, 3, 1), None), Words(("财报",)))),
    }
    for text_, criterion in cases.items():
        assert plan(parse(text_), None, literal=True).criterion == criterion, text_
