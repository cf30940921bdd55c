"""``/api/suggest``: instruments and commentary titles to offer while a reader types."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated

from fastapi import APIRouter, FastAPI, Query

from app.web.api_models import InstrumentSuggestion, SuggestResponse, TitleSuggestion
from app.web.deps import DictionaryDep, SessionDep
from app.web.errors import ErrorCode, errors
from app.web.queries.suggest import MAX_QUERY, start_building, suggest
from app.web.templating import kind_label


@asynccontextmanager
async def _build_index(app: FastAPI) -> AsyncIterator[None]:
    # Building the pinyin index takes a second or two, reading 20,000 titles and their
    # mention counts about as long: done while the server starts taking requests rather
    # than during the first suggestion.
    warming = start_building(app.state.dictionary.current(), app.state.engine)
    yield
    # Before the application disposes of the engine (its lifespan wraps this one).
    warming.stop()


router = APIRouter(lifespan=_build_index)


QueryQ = Annotated[
    str,
    Query(
        max_length=MAX_QUERY,
        description="What the reader has typed so far: a name in either script, a "
        "symbol, a code, pinyin or pinyin initials (ywd), or words of a title.",
    ),
]


@router.get(
    "/api/suggest",
    tags=["suggest"],
    summary="Suggestions while typing",
    response_model=SuggestResponse,
    responses=errors(ErrorCode.BAD_REQUEST, ErrorCode.DATABASE_UNAVAILABLE),
)
def api_suggest(session: SessionDep, dictionary: DictionaryDep, q: QueryQ = "") -> SuggestResponse:
    """Instruments and commentary titles matching what has been typed, for the search
    box: exact matches first, then beginnings, then matches inside a name or title;
    among equals, the most mentioned instruments and the newest commentaries."""
    found = suggest(session, dictionary, q)
    items: list[InstrumentSuggestion | TitleSuggestion] = [
        InstrumentSuggestion(
            label=hit.label,
            symbol=hit.symbol,
            name=hit.name,
            category=kind_label(hit.kind),
            matched=hit.matched,
            mentions=hit.mentions,
            url=hit.url,
        )
        for hit in found.instruments
    ]
    items += [
        TitleSuggestion(label=hit.title, id=hit.id, date=hit.date, url=hit.url)
        for hit in found.titles
    ]
    return SuggestResponse(q=q, suggestions=items)
