"""The home page, commentary pages, the original text, the newest-first feed, and their
JSON twins."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse, PlainTextResponse, Response

from app.models import Commentary
from app.search import (
    MAX_QUERY_CHARS,
    QueryError,
    date_bound,
    find_spans,
    query_terms,
    term_pattern,
)
from app.web.annotate import mention_links
from app.web.api_models import CommentaryDetail, CommentaryList, HomeAnswer
from app.web.body_html import body_format, body_html
from app.web.deps import DictionaryDep, SearchBackendDep, SessionDep
from app.web.errors import ErrorCode, Refusal, errors
from app.web.feeds import atom_response
from app.web.messages import no_commentary, unknown_ticker
from app.web.queries.commentaries import (
    get_commentary,
    list_commentaries,
    neighbours,
    tickers_of,
)
from app.web.queries.home import home_page
from app.web.queries.related import related
from app.web.queries.tickers import mentions_of
from app.web.serialize import commentary_detail, commentary_list, home_answer
from app.web.templating import render
from app.web.urls import urls

router = APIRouter()

# The first highlighted word of a commentary opened from a search: links end in #hl.
HIGHLIGHT_ANCHOR = "hl"
FEED_ENTRIES = 50
PageQ = Annotated[int, Query(ge=1, le=10_000, description="Page number, from 1.")]
PerPageQ = Annotated[int, Query(ge=1, le=100, description="Items per page (at most 100).")]
FromQ = Annotated[
    str, Query(alias="from", description="From this date: YYYY-MM-DD, YYYY-MM or YYYY.")
]
ToQ = Annotated[str, Query(description="Up to this date: YYYY-MM-DD, YYYY-MM or YYYY.")]
TickerQ = Annotated[str, Query(description="Only commentaries mentioning this symbol.")]


@router.get("/", response_class=HTMLResponse, include_in_schema=False)
def home(request: Request, session: SessionDep) -> HTMLResponse:
    page = home_page(session)
    context = {"listing": page.latest, "tickers": page.tickers, "overview": page.overview}
    return render(request, "home.html", context)


@router.get(
    "/api/home",
    tags=["home"],
    summary="What the home page shows",
    response_model=HomeAnswer,
    responses=errors(ErrorCode.DATABASE_UNAVAILABLE),
)
def api_home(session: SessionDep) -> HomeAnswer:
    """What the home page shows: counts, the tickers most mentioned in the archive's last
    30 days, and the newest commentaries."""
    return home_answer(home_page(session))


@router.get("/feed.atom", include_in_schema=False)
def feed(request: Request, session: SessionDep) -> Response:
    entries = list_commentaries(session, 1, FEED_ENTRIES).items
    return atom_response(request, "评论档案 · 最新评论", urls.home(), entries)


@router.get(
    "/api/commentaries",
    tags=["commentaries"],
    summary="List commentaries",
    response_model=CommentaryList,
    responses=errors(ErrorCode.BAD_REQUEST, ErrorCode.BAD_QUERY, ErrorCode.DATABASE_UNAVAILABLE),
)
def api_commentaries(
    session: SessionDep,
    dictionary: DictionaryDep,
    start: FromQ = "",
    to: ToQ = "",
    ticker: TickerQ = "",
    page: PageQ = 1,
    per_page: PerPageQ = 20,
) -> CommentaryList:
    """Commentaries newest first (undated last), optionally within dates (a month-only
    date counts as its month; undated ones are left out) or mentioning a ticker."""
    try:
        first = date_bound(start, end=False, label="from") if start.strip() else None
        last = date_bound(to, end=True, label="to") if to.strip() else None
    except QueryError as exc:
        raise Refusal(ErrorCode.BAD_QUERY, str(exc)) from None
    symbol = None
    if ticker.strip():
        named = dictionary.ticker(ticker)
        if named is None:
            raise Refusal(ErrorCode.BAD_QUERY, unknown_ticker(ticker))
        symbol = named.symbol
    listing = list_commentaries(session, page, per_page, start=first, end=last, symbol=symbol)
    tickers = tickers_of(session, [c.id for c in listing.items if c.id is not None])
    return commentary_list(listing, tickers)


def _found(session: SessionDep, commentary_id: int) -> Commentary:
    commentary = get_commentary(session, commentary_id)
    if commentary is None:
        raise Refusal(ErrorCode.NOT_FOUND, no_commentary(commentary_id))
    return commentary


@router.get("/c/{commentary_id:int}", response_class=HTMLResponse, include_in_schema=False)
def commentary_page(
    request: Request,
    session: SessionDep,
    backend: SearchBackendDep,
    dictionary: DictionaryDep,
    commentary_id: int,
    q: Annotated[str, Query(max_length=MAX_QUERY_CHARS, description="Words to highlight.")] = "",
    literal: Annotated[bool, Query(description="Highlight the words only as written.")] = False,
) -> HTMLResponse:
    commentary = _found(session, commentary_id)
    marks = find_spans(commentary.body, term_pattern(query_terms(q, dictionary, literal)))
    links = mention_links(mentions_of(session, commentary_id))
    earlier, later = neighbours(session, commentary)
    context = {
        "c": commentary,
        "tickers": tickers_of(session, [commentary_id]).get(commentary_id, []),
        "body_html": body_html(
            commentary.body,
            body_format(commentary.origin_path),
            links,
            marks,
            first_mark_id=HIGHLIGHT_ANCHOR,
        ),
        "q": q,
        "earlier": earlier,
        "later": later,
        "related": related(session, backend, commentary),
    }
    return render(request, "commentary.html", context)


@router.get("/c/{commentary_id:int}.txt", response_class=PlainTextResponse, include_in_schema=False)
def commentary_text(session: SessionDep, commentary_id: int) -> PlainTextResponse:
    return PlainTextResponse(_found(session, commentary_id).raw_text)


@router.get(
    "/api/commentaries/{commentary_id:int}",
    tags=["commentaries"],
    summary="One commentary",
    response_model=CommentaryDetail,
    responses=errors(ErrorCode.NOT_FOUND, ErrorCode.DATABASE_UNAVAILABLE),
)
def api_commentary(
    session: SessionDep,
    backend: SearchBackendDep,
    commentary_id: Annotated[int, Path(description="The commentary's id.")],
) -> CommentaryDetail:
    """One commentary with its body, its mentions, the commentaries before and after it
    by date, and related ones."""
    commentary = _found(session, commentary_id)
    earlier, later = neighbours(session, commentary)
    near = related(session, backend, commentary)
    shown = [c.id for c in (earlier, later, *near) if c is not None and c.id is not None]
    tickers = tickers_of(session, [commentary_id, *shown])
    mentions = mentions_of(session, commentary_id)
    return commentary_detail(commentary, tickers, mentions, earlier, later, near)
