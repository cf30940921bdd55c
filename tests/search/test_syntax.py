"""The query language, parsed leniently: what each form means, and what is refused."""

from __future__ import annotations

import contextlib
import random

import pytest

from app.search.syntax import And, Field, Not, Or, Phrase, QueryError, Word, parse


@pytest.mark.parametrize(
    ("text", "tree"),
    [
        ("英伟达 财报", And((Word("英伟达"), Word("财报")))),
        ("A B OR C", And((Word("A"), Or((Word("B"), Word("C")))))),
        ("英伟达 -期权", And((Word("英伟达"), Not(Word("期权"))))),
        ("英伟达 NOT 期权", And((Word("英伟达"), Not(Word("期权"))))),
        ('"降息预期"', Phrase("降息预期")),
        ("“降息 预期”", Phrase("降息 预期")),
        ("「降息」", Phrase("降息")),
        ("(英伟达 OR 台积电) 财报", And((Or((Word("英伟达"), Word("台积电"))), Word("财报")))),
        ("-(a OR b)", Not(Or((Word("a"), Word("b"))))),
        ("ticker:nvda", Field("ticker", "nvda")),
        ("Ticker:NVDA", Field("ticker", "NVDA")),
        ("tickers:BRK.B", Field("ticker", "BRK.B")),
        ("$NVDA", Field("ticker", "NVDA")),
        ("$NVDA$", Field("ticker", "NVDA")),
        ("-$NVDA", Not(Field("ticker", "NVDA"))),
        ("from:2025-01-01 to:2025-03", And((Field("from", "2025-01-01"), Field("to", "2025-03")))),
        ("year:2025", Field("year", "2025")),
        ('source:"Morning Brief"', Field("source", "Morning Brief")),
        ("foo:bar", Word("foo:bar")),
        ("nvid*", Word("nvid", prefix=True)),
        ("降*", Word("降", prefix=True)),
        ("a*b", And((Word("a"), Word("b")))),
        ("a AND b", And((Word("a"), Word("b")))),
        ("ＮＶＤＡ　財報", And((Word("NVDA"), Word("财报")))),
    ],
)
def test_forms(text: str, tree: object) -> None:
    assert parse(text) == tree


@pytest.mark.parametrize(
    ("text", "tree"),
    [
        ('"降息预期', Phrase("降息预期")),
        ("(英伟达 OR 台积电", Or((Word("英伟达"), Word("台积电")))),
        ("英伟达) 财报)", And((Word("英伟达"), Word("财报")))),
        ("OR 英伟达 OR", Word("英伟达")),
        ("英伟达 NOT", Word("英伟达")),
        ("NOT", None),
        ("()", None),
        ("", None),
        ("   ", None),
        ("-", Word("-")),  # nothing to search: the translation drops it
    ],
)
def test_broken_queries_are_repaired(text: str, tree: object) -> None:
    assert parse(text) == tree


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("*伟达", "a word cannot start with a wildcard: *伟达"),
        ("财报 ?vidia", "a word cannot start with a wildcard: ?vidia"),
        ("降" * 501, "the query is too long (501 characters, at most 500)"),
        ("降" * 5000, "the query is too long (5000 characters, at most 500)"),
        ("(" * 9 + "a", "the query nests parentheses too deeply (at most 8)"),
        (" ".join(["词"] * 33), "the query has too many words (at most 32)"),
        ("a* b* c* d* e*", "the query has too many wildcards (at most 4)"),
        ("(a* OR b*) -c* d?e* f*", "the query has too many wildcards (at most 4)"),
    ],
)
def test_refused_with_a_reason(text: str, message: str) -> None:
    with pytest.raises(QueryError) as caught:
        parse(text)
    assert str(caught.value) == message


def test_four_wildcards_are_allowed() -> None:
    assert parse("a* b* c*d* e*f e*") == And(
        (
            Word("a", prefix=True),
            Word("b", prefix=True),
            And((Word("c"), Word("d", prefix=True))),
            And((Word("e"), Word("f"))),
            Word("e", prefix=True),
        )
    )


def test_random_input_parses_or_is_refused() -> None:
    pieces = [
        '"',
        "(",
        ")",
        "-",
        "*",
        "?",
        "OR",
        "NOT",
        "AND",
        ":",
        "$",
        "ticker:",
        "from:",
        "降息",
    ]
    pieces += ["NVDA", "輝達", " ", "　", "\\", "'", "“", "」", "year:x", "$$", "a-b"]
    rng = random.Random(20261122)
    for _ in range(3000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 12)))
        with contextlib.suppress(QueryError):
            parse(text)
