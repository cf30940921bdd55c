"""Ticker list, ticker pages with every mention in context, their feeds and JSON twins."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from app.web.api_models import TickerAnswer, TickerRowItem
from app.web.charts import monthly_bars
from app.web.deps import DictionaryDep, SessionDep
from app.web.errors import ErrorCode, Refusal, Suggestions, errors
from app.web.feeds import atom_response
from app.web.messages import unknown_ticker
from app.web.queries.tickers import (
    TickerSort,
    close_matches,
    commentaries_mentioning,
    resolve_symbol,
    ticker_detail,
    ticker_rows,
)
from app.web.serialize import ticker_answer, ticker_row
from app.web.templating import render
from app.web.urls import urls

router = APIRouter()

SortQ = Annotated[TickerSort, Query(description="mentions, documents, symbol or last.")]
FilterQ = Annotated[
    str, Query(max_length=100, description="Keep tickers whose symbol or name contains this.")
]
PageQ = Annotated[int, Query(ge=1, le=10_000, description="Page of mentions, from 1.")]
PerPageQ = Annotated[int, Query(ge=1, le=100, description="Mentions per page (at most 100).")]


@router.get("/tickers", response_class=HTMLResponse, include_in_schema=False)
def tickers_page(
    request: Request, session: SessionDep, sort: SortQ = "mentions", filter: FilterQ = ""
) -> HTMLResponse:
    rows = ticker_rows(session, sort, filter)
    return render(request, "tickers.html", {"rows": rows, "sort": sort, "filter": filter})


@router.get(
    "/api/tickers",
    tags=["tickers"],
    summary="List mentioned instruments",
    response_model=list[TickerRowItem],
    responses=errors(ErrorCode.BAD_REQUEST, ErrorCode.DATABASE_UNAVAILABLE),
)
def api_tickers(
    session: SessionDep, sort: SortQ = "mentions", filter: FilterQ = ""
) -> list[TickerRowItem]:
    """Every instrument mentioned at least once, with document and mention counts."""
    return [ticker_row(r) for r in ticker_rows(session, sort, filter)]


def _redirect(request: Request, symbol: str, suffix: str = "") -> RedirectResponse:
    base = request.url.path.rsplit("/", 1)[0]
    query = f"?{request.url.query}" if request.url.query else ""
    return RedirectResponse(f"{base}/{quote(symbol)}{suffix}{query}", status_code=308)


def _unknown(request: Request, dictionary: DictionaryDep, symbol: str, api: bool) -> Response:
    suggestions = close_matches(dictionary, symbol)
    message = unknown_ticker(symbol)
    if api:
        raise Refusal(ErrorCode.UNKNOWN_TICKER, message, Suggestions(suggestions=suggestions))
    context = {"symbol": symbol, "suggestions": suggestions, "message": message}
    return render(request, "ticker_unknown.html", context, status_code=404)


def _lookup(
    request: Request,
    session: SessionDep,
    dictionary: DictionaryDep,
    symbol: str,
    suffix: str = "",
    api: bool = False,
) -> tuple[str | None, Response | None]:
    canonical = resolve_symbol(session, dictionary, symbol)
    if canonical is None:
        return None, _unknown(request, dictionary, symbol, api)
    if canonical != symbol:
        return None, _redirect(request, canonical, suffix)
    return canonical, None


@router.get("/tickers/{symbol}.atom", include_in_schema=False)
def ticker_feed(
    request: Request, session: SessionDep, dictionary: DictionaryDep, symbol: str
) -> Response:
    canonical, early = _lookup(request, session, dictionary, symbol, ".atom")
    if early is not None or canonical is None:
        return early or Response(status_code=404)
    entries = commentaries_mentioning(session, canonical)
    return atom_response(request, f"{canonical} · 评论档案", urls.ticker(canonical), entries)


@router.get("/tickers/{symbol}", response_class=HTMLResponse, include_in_schema=False)
def ticker_page(
    request: Request,
    session: SessionDep,
    dictionary: DictionaryDep,
    symbol: str,
    page: PageQ = 1,
    per_page: PerPageQ = 50,
) -> Response:
    canonical, early = _lookup(request, session, dictionary, symbol)
    if early is not None or canonical is None:
        return early or Response(status_code=404)
    detail = ticker_detail(session, canonical, page, per_page, dictionary.listings(canonical))
    if detail is None:
        return _unknown(request, dictionary, symbol, api=False)
    chart = monthly_bars(detail.monthly, f"{canonical} 每月提及次数")
    return render(request, "ticker.html", {"d": detail, "chart": chart})


REDIRECT: dict[int | str, dict[str, Any]] = {
    308: {
        "description": "The symbol written another way (`nvda`, `英伟达`): `Location` is "
        "the canonical address."
    }
}


@router.get(
    "/api/tickers/{symbol}",
    tags=["tickers"],
    summary="One instrument and its mentions",
    response_model=TickerAnswer,
    responses=REDIRECT
    | errors(ErrorCode.BAD_REQUEST, ErrorCode.UNKNOWN_TICKER, ErrorCode.DATABASE_UNAVAILABLE),
)
def api_ticker(
    request: Request,
    session: SessionDep,
    dictionary: DictionaryDep,
    symbol: Annotated[
        str, Path(description="A symbol in any case or form (`nvda`, `00700.HK`) or a name.")
    ],
    page: PageQ = 1,
    per_page: PerPageQ = 50,
) -> TickerAnswer | Response:
    """One instrument: names, counts, monthly mentions, co-mentions and mentions in context."""
    canonical, early = _lookup(request, session, dictionary, symbol, api=True)
    if early is not None or canonical is None:
        return early or Response(status_code=404)
    detail = ticker_detail(session, canonical, page, per_page, dictionary.listings(canonical))
    if detail is None:
        return _unknown(request, dictionary, symbol, api=True)
    return ticker_answer(detail)
