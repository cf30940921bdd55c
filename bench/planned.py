"""What the benchmark asks of engines other than the web app's search function: the
planned criterion of a query, and "our engine alone" (top page and total, no snippets,
no facets).

``criterion`` gives the FTS5 peer the same words, names and synonyms the archive's
planner looks for. ``engine_alone`` times the archive's own engine without the page
around it: the lookup the search function would make, without facets.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path

from app.instruments import Dictionary
from app.search.criteria import Criterion
from app.search.planner import plan
from app.search.syntax import parse
from bench.queries import Query

# Which planner produced the FTS5 peer's words (the report says so).
PLANNER = "the archive's own planner (app/search/planner.py)"


def criterion(text: str, names: Dictionary) -> Criterion | None:
    """The criterion the archive plans for ``text``."""
    return plan(parse(text), names).criterion


def engine_alone(data_dir: Path) -> Callable[[Query], int]:
    """The archive's engine answering a query of the mix: the top page and the total,
    no snippets and no facets; returns the total."""
    from app.config import Settings
    from app.ingest.pipeline import prepare_search
    from app.search import open_backend
    from app.search.searching import lookup
    from app.web.queries.search import search_request

    settings = Settings(data_dir=data_dir)
    dictionary = prepare_search(settings)
    backend = open_backend(settings)

    def one(query: Query) -> int:
        request = search_request(dictionary, q=query.text, **query.options)
        _, asked = lookup(request, dictionary, budget=settings.search_budget)
        return backend.find(dataclasses.replace(asked, facets=False)).total

    return one
