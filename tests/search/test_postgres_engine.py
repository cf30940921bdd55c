"""The postgres engine's own workings: the words it stores, the SQL a criteria tree
becomes, and (on PostgreSQL) what that SQL keeps."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.dialects import postgresql

from app.search.backend import Filters
from app.search.criteria import (
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
from app.search.keywords import body_key_words
from app.search.postgres.compile import condition, filter_condition, ranked_query
from app.search.postgres.words import MAX_POSITION, MAX_POSITIONS_PER_WORD, prepare, quoted, vector


def _sql(clause: object) -> str:
    compiled = clause.compile(  # type: ignore[attr-defined]
        dialect=postgresql.dialect(), compile_kwargs={"literal_binds": True}
    )
    return " ".join(str(compiled).split())


def test_a_lexeme_is_quoted_for_the_literal() -> None:
    assert quoted("brk.b") == "'brk.b'"
    assert quoted("it's") == "'it''s'"
    assert quoted("a\\b") == "'a\\\\b'"


def test_title_words_come_first_at_weight_a_and_the_body_after_a_gap() -> None:
    title = [(0, "降息", 0, 2), (1, "预期", 2, 4)]
    body = [(0, "市场", 0, 2), (0, "市", 0, 1), (1, "降息", 2, 4)]
    assert vector(title, body) == "'降息':1A,5B '预期':2A '市场':4B '市':4B"


def test_positions_stop_where_postgresql_stops_keeping_them() -> None:
    body = [(i, "的", 0, 1) for i in range(MAX_POSITIONS_PER_WORD + 10)]
    body.append((MAX_POSITION + 100, "尾", 0, 1))
    literal = vector([], body)
    kept = literal.split(" ")[0].split(":")[1].split(",")
    assert len(kept) == MAX_POSITIONS_PER_WORD
    assert literal.endswith(f"'尾':{MAX_POSITION}B")


def test_prepare_keeps_the_same_key_words_as_every_engine() -> None:
    body = [(0, "英伟达", 0, 3), (1, "降息", 3, 5), (2, "英伟达", 5, 8)]
    assert prepare("标题", body).keys == body_key_words(body)


def test_words_of_one_subtree_join_into_one_tsquery() -> None:
    tree = AllOf(
        (Words(("降息",)), AnyOf((Words(("美联", "储")), Prefix("nvd"))), Without(Words(("期权",))))
    )
    assert _sql(condition(tree)) == (
        "commentary_search.words @@ CAST('(''降息'') & ((''美联'' <-> ''储'') | (''nvd'':*))"
        " & (!(''期权''))' AS TSQUERY)"
    )
    assert ranked_query(tree) == "('降息') | ('美联' <-> '储') | ('nvd':*)"


def test_other_criteria_are_sql_and_an_excluded_column_test_keeps_rows_without_it() -> None:
    tree = AnyOf((Tagged(("BABA", "9988.HK")), Without(Source("路透"))))
    assert _sql(condition(tree)) == (
        "commentary_search.symbols && ARRAY['BABA', '9988.HK']"
        " OR NOT coalesce(commentary_search.source = '路透', false)"
    )
    assert ranked_query(tree) is None


def test_dates_and_nothing() -> None:
    during = During(dt.date(2024, 9, 1), dt.date(2024, 9, 30))
    assert _sql(condition(during)) == (
        "commentary_search.date_to >= '2024-09-01' AND commentary_search.date_from <= '2024-09-30'"
    )
    assert _sql(condition(AllOf((Words(("降息",)), Nothing())))) == "false"
    assert filter_condition(Filters()) is None
    allowed = filter_condition(Filters(tickers=(("NVDA",),), start=dt.date(2025, 1, 1)))
    assert _sql(allowed) == (
        "commentary_search.symbols && ARRAY['NVDA'] AND commentary_search.date_to >= '2025-01-01'"
    )


@pytest.mark.parametrize("tree", [None, Words(("a",))])
def test_every_row_or_the_words(tree: Words | None) -> None:
    expected = "true" if tree is None else "commentary_search.words @@ CAST('''a''' AS TSQUERY)"
    assert _sql(condition(tree)) == expected
