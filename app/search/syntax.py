"""The reader's query language, parsed leniently into a small tree.

Words are AND-ed; ``OR`` joins its neighbours (``A B OR C`` is A and (B or C));
``-word`` and ``NOT word`` exclude; ``"…"`` is a phrase; ``(…)`` groups;
``ticker:NVDA`` / ``$NVDA``, ``from:``, ``to:``, ``year:`` and ``source:`` filter.
A stray parenthesis, an unclosed quote or a dangling operator is repaired rather
than refused; only what cannot mean anything (a leading wildcard, a query too long
or too deep) is a ``QueryError``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from app.text.normalize import fold

MAX_QUERY_CHARS = 500
MAX_CLAUSES = 32
MAX_DEPTH = 8
TOO_MANY_WORDS = f"查询的词太多（最多 {MAX_CLAUSES} 个）"
# Each wildcard word stands for up to 64 index words, and every one of them is searched.
MAX_WILDCARDS = 4
FIELDS = {"ticker": "ticker", "tickers": "ticker", "from": "from", "to": "to"}
FIELDS |= {"year": "year", "source": "source"}
WILDCARDS = "*?"

# Curly and corner quotes read as straight ones.
_QUOTES = str.maketrans({"“": '"', "”": '"', "「": '"', "」": '"', "『": '"', "』": '"'})
_TOKEN = re.compile(
    r"""
    (?P<space>\s+)
  | (?P<open>\()
  | (?P<close>\))
  | (?P<quoted>"[^"]*(?:"|$))
  | (?P<minus>-(?=[^\s\-]))
  | (?P<field>(?P<name>[A-Za-z]+):(?P<value>"[^"]*(?:"|$)|[^\s()"]+))
  | (?P<dollar>\$(?P<symbol>[A-Za-z0-9][A-Za-z0-9.\-]*)\$?)
  | (?P<word>[^\s()"]+)
    """,
    re.VERBOSE,
)


class QueryError(ValueError):
    """The query cannot be run; the message is meant for the reader (in Chinese)."""


# The longest piece of a reader's query a message repeats; a longer one is cut.
QUOTED_CHARS = 40


def quoted(fragment: str) -> str:
    """A piece of the reader's query as a message shows it: in corner brackets, on one
    line, cut short with an ellipsis when long."""
    flat = " ".join(fragment.split())
    if len(flat) > QUOTED_CHARS:
        flat = flat[:QUOTED_CHARS] + "…"
    return f"「{flat}」"


@dataclass(frozen=True, slots=True)
class Word:
    text: str
    prefix: bool = False  # written with a trailing wildcard: nvid*


@dataclass(frozen=True, slots=True)
class Phrase:
    text: str


@dataclass(frozen=True, slots=True)
class Field:
    name: str  # ticker, from, to, year or source
    value: str


@dataclass(frozen=True, slots=True)
class Not:
    child: Node


@dataclass(frozen=True, slots=True)
class And:
    children: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Or:
    children: tuple[Node, ...]


Node = Word | Phrase | Field | Not | And | Or

_OPEN, _CLOSE, _OR, _NOT = "(", ")", "OR", "NOT"


def _lex(text: str) -> list[object]:
    """Tokens: the markers above, or Word / Phrase / Field leaves."""
    tokens: list[object] = []
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup
        if kind == "space":
            continue
        if kind == "open":
            tokens.append(_OPEN)
        elif kind == "close":
            tokens.append(_CLOSE)
        elif kind == "minus":
            tokens.append(_NOT)
        elif kind == "quoted":
            tokens.append(Phrase(match.group().strip('"')))
        elif kind == "field" and match["name"].lower() in FIELDS:
            tokens.append(Field(FIELDS[match["name"].lower()], match["value"].strip('"')))
        elif kind == "dollar":
            tokens.append(Field("ticker", match["symbol"]))
        else:
            tokens.extend(_word_tokens(match.group()))
    return tokens


def _word_tokens(raw: str) -> list[object]:
    if raw in (_OR, _NOT):
        return [raw]
    if raw == "AND":
        return []
    if raw[0] in WILDCARDS and raw.strip(WILDCARDS):
        raise QueryError(f"通配符不能放在词首：{quoted(raw)}（要写在词尾，例如 nvid*）")
    # A wildcard inside a word splits it; one at the end makes the last part a prefix.
    parts = [p for p in re.split(r"[*?]+", raw) if p]
    words = [
        Word(part, prefix=i == len(parts) - 1 and raw[-1] in WILDCARDS)
        for i, part in enumerate(parts)
    ]
    if len(words) > 1:
        return [And(tuple(words))]
    return list(words)


class _Parser:
    def __init__(self, tokens: list[object]) -> None:
        self.tokens = tokens
        self.pos = 0
        self.leaves = 0
        self.wildcards = 0

    def peek(self) -> object | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self) -> object | None:
        token = self.peek()
        self.pos += 1
        return token

    def sequence(self, depth: int) -> Node | None:
        """Implicitly AND-ed items up to a closing parenthesis or the end."""
        if depth > MAX_DEPTH:
            raise QueryError(f"括号嵌套太深（最多 {MAX_DEPTH} 层）")
        items: list[Node] = []
        while (token := self.peek()) is not None:
            if token == _CLOSE:
                if depth > 0:
                    break
                self.take()  # a stray closing parenthesis
                continue
            item = self.either(depth)
            if item is not None:
                items.append(item)
        return _combine(And, items)

    def either(self, depth: int) -> Node | None:
        """Items joined by OR; an OR with nothing on one side is dropped."""
        items: list[Node] = []
        first = self.unary(depth)
        if first is not None:
            items.append(first)
        while self.peek() == _OR:
            self.take()
            item = self.unary(depth)
            if item is not None:
                items.append(item)
        return _combine(Or, items)

    def unary(self, depth: int) -> Node | None:
        token = self.take()
        if token == _NOT:
            nxt = self.peek()
            if nxt is None or nxt in (_CLOSE, _OR):
                return None  # NOT with nothing after it
            child = self.unary(depth)
            return Not(child) if child is not None else None
        if token == _OPEN:
            inner = self.sequence(depth + 1)
            if self.peek() == _CLOSE:
                self.take()  # an unclosed group closes at the end
            return inner
        if token in (_OR, _CLOSE, None):
            return None
        self.leaves += 1
        if self.leaves > MAX_CLAUSES:
            raise QueryError(TOO_MANY_WORDS)
        assert isinstance(token, Word | Phrase | Field | And)
        self.wildcards += _wildcards(token)
        if self.wildcards > MAX_WILDCARDS:
            raise QueryError(f"通配符太多（最多 {MAX_WILDCARDS} 个）")
        return token


def _wildcards(node: Node) -> int:
    if isinstance(node, Word):
        return int(node.prefix)
    if isinstance(node, And):
        return sum(_wildcards(child) for child in node.children)
    return 0


def _combine(kind: type[And] | type[Or], items: list[Node]) -> Node | None:
    if not items:
        return None
    return items[0] if len(items) == 1 else kind(tuple(items))


def prepare(text: str) -> str:
    """The query folded as the index folds text (NFKC, simplified script), trimmed."""
    folded = fold(text.translate(_QUOTES)).strip()
    if len(folded) > MAX_QUERY_CHARS:
        raise QueryError(f"查询太长：{len(folded)} 个字符，最多 {MAX_QUERY_CHARS} 个")
    return folded


def parse(text: str) -> Node | None:
    """The tree of ``text``; None for a query with nothing in it."""
    return _Parser(_lex(prepare(text))).sequence(0)
