"""Ticker list, ticker pages with every mention in context, their feeds and JSON twins."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from app.web.charts import monthly_bars
from app.web.deps import DictionaryDep, SessionDep
from app.web.feeds import atom_response
from app.web.openapi import errors
from app.web.queries.tickers import (
    TickerSort,
    close_matches,
    commentaries_mentioning,
    resolve_symbol,
    ticker_detail,
    ticker_payload_mentions,
    ticker_rows,
)
from app.web.templating import render

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


@router.get("/api/tickers", responses=errors(400))
def api_tickers(
    session: SessionDep, sort: SortQ = "mentions", filter: FilterQ = ""
) -> list[dict[str, Any]]:
    """Every instrument mentioned at least once, with document and mention counts."""
    return [
        {
            "symbol": r.symbol,
            "issuer": r.issuer,
            "name": r.name,
            "name_zh": r.name_zh,
            "kind": r.kind,
            "documents": r.documents,
            "mentions": r.mentions,
            "last_date": r.last_date.isoformat() if r.last_date else None,
        }
        for r in ticker_rows(session, sort, filter)
    ]


def _redirect(request: Request, symbol: str, suffix: str = "") -> RedirectResponse:
    base = request.url.path.rsplit("/", 1)[0]
    query = f"?{request.url.query}" if request.url.query else ""
    return RedirectResponse(f"{base}/{quote(symbol)}{suffix}{query}", status_code=308)


def _unknown(request: Request, dictionary: DictionaryDep, symbol: str, api: bool) -> Response:
    suggestions = close_matches(dictionary, symbol)
    if api:
        message = f"unknown ticker {symbol!r}"
        return JSONResponse({"error": message, "detail": {"suggestions": suggestions}}, 404)
    message = f"词典里没有代码或名称为“{symbol}”的标的。"
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
    return atom_response(request, f"{canonical} · 评论档案", f"/tickers/{canonical}", entries)


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


@router.get("/api/tickers/{symbol}", response_model=None, responses=errors(400, 404))
def api_ticker(
    request: Request,
    session: SessionDep,
    dictionary: DictionaryDep,
    symbol: str,
    page: PageQ = 1,
    per_page: PerPageQ = 50,
) -> dict[str, Any] | Response:
    """One instrument: names, counts, monthly mentions, co-mentions and mentions in context."""
    canonical, early = _lookup(request, session, dictionary, symbol, api=True)
    if early is not None or canonical is None:
        return early or Response(status_code=404)
    detail = ticker_detail(session, canonical, page, per_page, dictionary.listings(canonical))
    if detail is None:
        return _unknown(request, dictionary, symbol, api=True)
    i = detail.instrument
    return {
        "symbol": i.symbol,
        "issuer": i.issuer or i.symbol,
        "listings": [listing.symbol for listing in detail.listings],
        "learned": i.learned,
        "name": i.name,
        "name_zh": i.name_zh,
        "aliases": detail.aliases,
        "documents": detail.documents,
        "mentions_total": detail.mentions_total,
        "first_date": detail.first_date.isoformat() if detail.first_date else None,
        "last_date": detail.last_date.isoformat() if detail.last_date else None,
        "monthly": [{"month": m, "count": c} for m, c in detail.monthly],
        "co_mentions": [{"symbol": s, "count": c} for s, c in detail.co_mentions],
        "mentions": ticker_payload_mentions(detail),
        "page": detail.page,
        "per_page": detail.per_page,
    }
