"""The query language planned into criteria: what each kind of query matches, and what
it tells the page (highlights, expansions, synonyms), with no engine involved."""

from __future__ import annotations

import datetime as dt

import pytest

from app.instruments.named import Named
from app.search.criteria import AllOf, AnyOf, During, Prefix, Source, Tagged, Without, Words
from app.search.planner import MAX_WORDS, Sought, plan
from app.search.syntax import TOO_MANY_WORDS, QueryError, parse

TSMC = Named("2330.TW", ("2330.TW", "台积电", "台積電", "TSMC"), ("2330.TW", "TSM"))
TSMC_ADR = Named("TSM", TSMC.names, ("2330.TW", "TSM"))
CUT = AnyOf((Words(("减息",)), Words(("降息",))))
OPTIONS = AnyOf((Words(("期权",)), Words(("选择权",))))
TAIPEI = AnyOf((Words(("台积电",)), Tagged(("2330.TW", "TSM"))))


class FakeNames:
    def named(self, word: str) -> Named | None:
        return TSMC if word in ("台积电", "台積電") else None

    def ticker(self, code: str) -> Named | None:
        return {"2330.TW": TSMC, "TSM": TSMC_ADR}.get(code.upper())


def test_a_word_matches_its_synonyms_in_one_order() -> None:
    planned = plan(parse("降息"), None)
    assert planned.criterion == CUT
    assert plan(parse("减息"), None).criterion == CUT
    assert (planned.has_text, planned.highlights) == (True, [("降息",), ("减息",)])
    assert planned.synonyms == [("降息", ("減息",))]
    assert planned.sought == [Sought((("降息",), ("减息",)))]


def test_a_name_matches_every_listing_of_its_issuer() -> None:
    planned = plan(parse("台積電财报"), FakeNames())
    assert planned.criterion == AllOf((TAIPEI, Words(("财报",))))
    assert [(word, named.symbol) for word, named in planned.expanded] == [
        ("台积电", "2330.TW")
    ]  # as folded
    assert planned.sought == [
        Sought((("台积电",), ("2330.TW",), ("台積電",), ("TSMC",))),
        Sought((("财报",),)),
    ]


def test_phrases_and_prefixes_are_never_expanded() -> None:
    assert plan(parse('"美联储 降息"'), None).criterion == Words(("美联储", "降息"))
    assert plan(parse('"降息"'), None).criterion == Words(("降息",))
    prefix = plan(parse("降*"), None)
    assert (prefix.criterion, prefix.highlights, prefix.synonyms) == (Prefix("降"), [("降*",)], [])


def test_ticker_source_and_dates() -> None:
    tsm = plan(parse("ticker:TSM"), FakeNames())
    assert (tsm.criterion, tsm.has_text) == (Tagged(("TSM", "2330.TW")), False)
    assert tsm.sought == [Sought((("2330.TW",), ("台积电",), ("台積電",), ("TSMC",)), True)]
    assert plan(parse("ticker:zzz"), FakeNames()).criterion == Tagged(("ZZZ",))
    assert plan(parse("source:Reuters"), None).criterion == Source("reuters")
    assert plan(parse("from:2024-09 to:2024"), None).criterion == AllOf(
        (During(dt.date(2024, 9, 1), None), During(None, dt.date(2024, 12, 31)))
    )
    assert plan(parse("year:2024"), None).criterion == During(
        dt.date(2024, 1, 1), dt.date(2024, 12, 31)
    )


def test_not_and_or_nest_and_repeats_go() -> None:
    assert plan(parse("英伟达 OR (财报 -期权)"), None).criterion == AnyOf(
        (Words(("英伟达",)), AllOf((Words(("财报",)), Without(OPTIONS))))
    )
    excluded = plan(parse("台積電 降息 -加息"), FakeNames())
    raise_ = AnyOf((Words(("加息",)), Words(("升息",))))
    assert excluded.criterion == AllOf((TAIPEI, CUT, Without(raise_)))
    assert excluded.synonyms == [("降息", ("減息",))]  # what is excluded is not listed
    only_not = plan(parse("-期权 -财报"), None)
    assert only_not.criterion == AllOf((Without(OPTIONS), Without(Words(("财报",)))))
    assert (only_not.has_text, only_not.highlights) == (False, [])
    assert plan(parse("财报 财报"), None).criterion == Words(("财报",))
    assert plan(parse("降息降息"), None).criterion == CUT
    assert plan(parse("财报 OR 财报"), None).criterion == Words(("财报",))


def test_literal_expands_nothing() -> None:
    planned = plan(parse("降息 台积电"), FakeNames(), literal=True)
    assert planned.criterion == AllOf((Words(("降息",)), Words(("台积电",))))
    assert (planned.expanded, planned.synonyms) == ([], [])
    assert planned.highlights == [("降息",), ("台积电",)]


def test_nothing_to_plan() -> None:
    assert plan(None, None).criterion is None
    assert plan(parse("，。"), None).criterion is None


def test_errors_keep_their_messages() -> None:
    with pytest.raises(QueryError, match=f"^{TOO_MANY_WORDS}$"):
        plan(parse('"' + " ".join(f"w{i}" for i in range(MAX_WORDS + 1)) + '"'), None)
    with pytest.raises(QueryError, match="无法识别的日期：「from:2024-13」"):
        plan(parse("from:2024-13"), None)
    with pytest.raises(QueryError, match="无法识别的年份：「year:24」"):
        plan(parse("year:24"), None)
