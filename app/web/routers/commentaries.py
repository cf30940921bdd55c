"""Home page list, commentary pages, the original text, and their JSON twins."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, PlainTextResponse

from app.search import MAX_QUERY_CHARS, find_spans, query_terms, term_pattern
from app.web.annotate import annotate, mention_links
from app.web.deps import DictionaryDep, SessionDep
from app.web.queries.commentaries import get_commentary, list_commentaries, tickers_of
from app.web.queries.tickers import mentions_of
from app.web.serialize import commentary_item
from app.web.templating import render

router = APIRouter()

# The first highlighted word of a commentary opened from a search: links end in #hl.
HIGHLIGHT_ANCHOR = "hl"
PageQ = Annotated[int, Query(ge=1, le=10_000, description="Page number, from 1.")]
PerPageQ = Annotated[int, Query(ge=1, le=100, description="Items per page (at most 100).")]


@router.get("/", response_class=HTMLResponse, include_in_schema=False)
def home(request: Request, session: SessionDep, page: PageQ = 1) -> HTMLResponse:
    listing = list_commentaries(session, page, 20)
    tickers = tickers_of(session, [c.id for c in listing.items if c.id is not None])
    return render(request, "home.html", {"listing": listing, "tickers": tickers, "q": ""})


@router.get("/api/commentaries")
def api_commentaries(
    session: SessionDep, page: PageQ = 1, per_page: PerPageQ = 20
) -> dict[str, Any]:
    """Commentaries, newest first (undated last)."""
    listing = list_commentaries(session, page, per_page)
    tickers = tickers_of(session, [c.id for c in listing.items if c.id is not None])
    return {
        "total": listing.total,
        "page": listing.page,
        "per_page": listing.per_page,
        "items": [commentary_item(c, tickers.get(c.id or 0, [])) for c in listing.items],
    }


@router.get("/c/{commentary_id:int}", response_class=HTMLResponse, include_in_schema=False)
def commentary_page(
    request: Request,
    session: SessionDep,
    commentary_id: int,
    dictionary: DictionaryDep,
    q: Annotated[str, Query(max_length=MAX_QUERY_CHARS, description="Words to highlight.")] = "",
    literal: Annotated[bool, Query(description="Highlight the words only as written.")] = False,
) -> HTMLResponse:
    commentary = get_commentary(session, commentary_id)
    if commentary is None:
        raise HTTPException(404, f"no commentary {commentary_id}")
    tickers = tickers_of(session, [commentary_id]).get(commentary_id, [])
    marks = find_spans(commentary.body, term_pattern(query_terms(q, dictionary, literal)))
    links = mention_links(mentions_of(session, commentary_id))
    return render(
        request,
        "commentary.html",
        {
            "c": commentary,
            "tickers": tickers,
            "body_html": annotate(commentary.body, links, marks, first_mark_id=HIGHLIGHT_ANCHOR),
            "q": q,
        },
    )


@router.get("/c/{commentary_id:int}.txt", response_class=PlainTextResponse, include_in_schema=False)
def commentary_text(session: SessionDep, commentary_id: int) -> PlainTextResponse:
    commentary = get_commentary(session, commentary_id)
    if commentary is None:
        raise HTTPException(404, f"no commentary {commentary_id}")
    return PlainTextResponse(commentary.raw_text)


@router.get("/api/commentaries/{commentary_id:int}")
def api_commentary(session: SessionDep, commentary_id: int) -> dict[str, Any]:
    """One commentary with its body."""
    commentary = get_commentary(session, commentary_id)
    if commentary is None:
        raise HTTPException(404, f"no commentary {commentary_id}")
    tickers = tickers_of(session, [commentary_id]).get(commentary_id, [])
    return {
        **commentary_item(commentary, tickers),
        "author": commentary.author,
        "title_source": commentary.title_source,
        "source_url": commentary.url,
        "body": commentary.body,
        "mentions": [
            {"id": m.id, "symbol": m.symbol, "alias": m.alias, "start": m.start, "end": m.end}
            for m in mentions_of(session, commentary_id)
        ],
    }
