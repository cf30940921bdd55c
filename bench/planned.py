"""What the benchmark asks of engines other than the web app's search function: the
planned criterion of a query, and "our engine alone" (top page and total, no snippets,
no facets), each behind one small function.

``criterion`` gives the FTS5 peer the same words, names and synonyms the archive's
planner looks for. ``engine_alone`` times the archive's own engine without the page
around it. Each is a stand-in written against the search package of today; once the
planner and the engine-neutral backend are merged, each becomes the one line its
docstring shows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from app.instruments import Dictionary
from app.search import date_bound, words
from app.search import synonyms as vocabulary
from app.search.criteria import AllOf, AnyOf, Criterion, During, Source, Tagged, Without, Words
from app.search.syntax import And, Field, Node, Not, Phrase, Word, parse
from bench.queries import Query

# Which planner produced the FTS5 peer's words (the report says so).
PLANNER = "bench stand-in (the translation rules of app/search/translate.py)"


def criterion(text: str, names: Dictionary) -> Criterion | None:
    """The criterion the archive plans for ``text``.

    After the planner lands: ``return plan(parse(text), names).criterion``."""
    tree = parse(text)
    return _node(tree, names) if tree is not None else None


def _words(text: str) -> tuple[str, ...]:
    return tuple(token for _, token, _, _ in words(text))


def _word(typed: str, token: str, names: Dictionary) -> Criterion:
    forms: list[Criterion] = [Words((w,)) for w in sorted((token, *vocabulary.synonyms(token)))]
    named = names.named(typed)
    if named is not None:
        forms.append(Tagged(tuple(dict.fromkeys(named.symbols))))
    return forms[0] if len(forms) == 1 else AnyOf(tuple(forms))


def _field(node: Field, names: Dictionary) -> Criterion:
    if node.name == "ticker":
        named = names.ticker(node.value)
        symbols = named.symbols if named is not None else (node.value.upper(),)
        return Tagged(tuple(dict.fromkeys(symbols)))
    if node.name == "source":
        return Source(node.value.casefold())
    start: dt.date | None = None
    end: dt.date | None = None
    if node.name in ("year", "from"):
        start = date_bound(node.value, end=False, label=node.name)
    if node.name in ("year", "to"):
        end = date_bound(node.value, end=True, label=node.name)
    return During(start, end)


def _node(node: Node, names: Dictionary) -> Criterion | None:
    if isinstance(node, Word):
        # A trailing wildcard is not in the benchmark's mix: the word is taken as typed.
        parts: list[Criterion] = []
        for _, token, start, end in words(node.text):
            part = _word(node.text[start:end], token, names)
            if part not in parts:
                parts.append(part)
        return _joined(parts, AllOf)
    if isinstance(node, Phrase):
        found = _words(node.text)
        return Words(found) if found else None
    if isinstance(node, Field):
        return _field(node, names)
    if isinstance(node, Not):
        inner = _node(node.child, names)
        return Without(inner) if inner is not None else None
    children = [c for c in (_node(child, names) for child in node.children) if c is not None]
    return _joined(children, AllOf if isinstance(node, And) else AnyOf)


def _joined(parts: list[Criterion], kind: type[AllOf] | type[AnyOf]) -> Criterion | None:
    if not parts:
        return None
    return parts[0] if len(parts) == 1 else kind(tuple(parts))


def engine_alone(data_dir: Path) -> Callable[[Query], int]:
    """The archive's engine answering a query of the mix: the top page and the total,
    no snippets and no facets; returns the total.

    Until the backend lands, ``app.search.run`` stands in for it (with facets: it
    cannot leave them out). After, ``one`` becomes, with ``backend =
    open_backend(settings)`` opened beside the dictionary::

        planned = plan(parse(request.text), dictionary)
        sort = request.sort if planned.has_text else "newest"
        lookup = Lookup(planned.criterion, sort=sort, facets=False)
        return backend.find(lookup).total
    """
    from app.config import Settings
    from app.ingest.pipeline import prepare_search
    from app.search import SearchIndex, run
    from app.web.queries.search import search_request

    settings = Settings(data_dir=data_dir)
    dictionary = prepare_search(settings)
    index = SearchIndex(settings.resolved_index_dir)

    def one(query: Query) -> int:
        request = search_request(dictionary, q=query.text, **query.options)
        return index.use(lambda s: run(s, request, dictionary)).total

    return one
