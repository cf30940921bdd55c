"""The query language, parsed leniently: what each form means, and what is refused."""

from __future__ import annotations

import contextlib
import random

import pytest

from app.search.syntax import And, Field, Not, Or, Phrase, QueryError, Word, parse, quoted


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
        ("*伟达", "通配符不能放在词首：「*伟达」（要写在词尾，例如 nvid*）"),
        ("财报 ?vidia", "通配符不能放在词首：「?vidia」（要写在词尾，例如 nvid*）"),
        ("降" * 501, "查询太长：501 个字符，最多 500 个"),
        ("降" * 5000, "查询太长：5000 个字符，最多 500 个"),
        ("(" * 9 + "a", "括号嵌套太深（最多 8 层）"),
        (" ".join(["词"] * 33), "查询的词太多（最多 32 个）"),
        ("a* b* c* d* e*", "通配符太多（最多 4 个）"),
        ("(a* OR b*) -c* d?e* f*", "通配符太多（最多 4 个）"),
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


def test_messages_quote_a_long_fragment_cut_short_on_one_line() -> None:
    with pytest.raises(QueryError) as caught:
        parse("*" + "a" * 60)
    assert str(caught.value) == (f"通配符不能放在词首：「*{'a' * 39}…」（要写在词尾，例如 nvid*）")
    assert quoted("降息\n预期") == "「降息 预期」"


def test_messages_are_the_same_on_every_run() -> None:
    messages = set()
    for _ in range(3):
        with pytest.raises(QueryError) as caught:
            parse("财报 ?vidia")
        messages.add(str(caught.value))
    assert messages == {"通配符不能放在词首：「?vidia」（要写在词尾，例如 nvid*）"}
