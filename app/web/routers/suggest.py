"""``/api/suggest``: instruments and commentary titles to offer while a reader types."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated, Literal

from fastapi import APIRouter, FastAPI, Query
from pydantic import BaseModel, Field

from app.web.deps import DictionaryDep, SessionDep
from app.web.openapi import errors
from app.web.queries.suggest import MAX_QUERY, start_building, suggest
from app.web.templating import kind_label


@asynccontextmanager
async def _build_index(app: FastAPI) -> AsyncIterator[None]:
    # Building the pinyin index takes a second or two, reading 20,000 titles and their
    # mention counts about as long: done while the server starts taking requests rather
    # than during the first suggestion.
    start_building(app.state.dictionary, app.state.engine)
    yield


router = APIRouter(lifespan=_build_index)


class InstrumentSuggestion(BaseModel):
    """An instrument whose name, symbol, code or pinyin the typed text matches."""

    kind: Literal["instrument"] = "instrument"
    label: str = Field(description="Its Chinese name (英伟达), else its English name.")
    symbol: str = Field(description="Canonical symbol: NVDA, 600519.SS, 2330.TW.")
    name: str = Field(description="Its English name.")
    category: str = Field(description="What it is, in Chinese: 股票, 指数, ETF …")
    matched: str | None = Field(
        description="The other name it was found by (輝達 when the label is 英伟达), if any."
    )
    mentions: int = Field(description="Mentions of the company in the archive, any listing.")
    url: str = Field(description="Its ticker page, root-relative.")


class TitleSuggestion(BaseModel):
    """A commentary whose title holds the typed text."""

    kind: Literal["title"] = "title"
    label: str = Field(description="The commentary's title.")
    id: int = Field(description="The commentary's id.")
    date: str = Field(description="Its date as the pages show it (2024年9月14日, 未注明日期).")
    url: str = Field(description="The commentary page, root-relative.")


Suggestion = Annotated[InstrumentSuggestion | TitleSuggestion, Field(discriminator="kind")]


class SuggestResponse(BaseModel):
    q: str = Field(description="The text the suggestions are for, as received.")
    suggestions: list[Suggestion] = Field(
        description="Instruments first (at most 8), then titles (at most 5), best first."
    )


QueryQ = Annotated[
    str,
    Query(
        max_length=MAX_QUERY,
        description="What the reader has typed so far: a name in either script, a "
        "symbol, a code, pinyin or pinyin initials (ywd), or words of a title.",
    ),
]


@router.get("/api/suggest", responses=errors(400))
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
