"""The search page, its JSON twin, its feed, and the query-language help page."""

from __future__ import annotations

from dataclasses import replace
from functools import partial
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response

from app.search import IndexUnavailable, QueryError, SearchRequest, Sort
from app.web.api_models import SearchAnswer
from app.web.deps import DictionaryDep, SearchBackendDep, SessionDep, SettingsDep
from app.web.errors import ErrorCode, Reason, Refusal, errors
from app.web.feeds import atom_response
from app.web.messages import INDEX_UNAVAILABLE
from app.web.queries.search import (
    DEFAULT_PER_PAGE,
    SearchResults,
    also_names,
    month_changes,
    search_commentaries,
    search_request,
    without,
)
from app.web.serialize import search_answer
from app.web.templating import render
from app.web.urls import urls

router = APIRouter()

FEED_ENTRIES = 50

QueryQ = Annotated[
    str, Query(description="The query (see /help); empty lists the newest commentaries.")
]
TickerQ = Annotated[
    list[str] | None,
    Query(description="Only commentaries mentioning this symbol (repeatable)."),
]
FromQ = Annotated[
    str, Query(alias="from", description="From this date: YYYY-MM-DD, YYYY-MM or YYYY.")
]
ToQ = Annotated[str, Query(description="Up to this date: YYYY-MM-DD, YYYY-MM or YYYY.")]
PageQ = Annotated[int, Query(ge=1, le=1000, description="Page number, from 1.")]
PerPageQ = Annotated[int, Query(ge=1, le=100, description="Hits per page (at most 100).")]
SortQ = Annotated[Sort, Query(description="relevance, newest or oldest.")]
LiteralQ = Annotated[
    bool,
    Query(description="Match the words as written, without name or synonym expansion."),
]


class _Search:
    """The parameters every search route shares, read once."""

    def __init__(
        self,
        dictionary: DictionaryDep,
        q: QueryQ = "",
        ticker: TickerQ = None,
        start: FromQ = "",
        to: ToQ = "",
        sort: SortQ = "relevance",
        page: PageQ = 1,
        per_page: PerPageQ = DEFAULT_PER_PAGE,
        literal: LiteralQ = False,
    ) -> None:
        self.q = q
        self.error: str | None = None
        self.request = SearchRequest(text=q.strip(), sort=sort, page=page, per_page=per_page)
        try:
            self.request = search_request(
                dictionary, q, ticker, start, to, sort, page, per_page, literal
            )
        except QueryError as exc:
            self.error = str(exc)


def _run(
    params: _Search,
    session: SessionDep,
    backend: SearchBackendDep,
    dictionary: DictionaryDep,
    settings: SettingsDep,
) -> SearchResults:
    """The results; a ``Refusal`` for a query that cannot run or an unusable index."""
    if params.error is not None:
        raise Refusal(ErrorCode.BAD_QUERY, params.error)
    try:
        return search_commentaries(
            session, backend, params.request, dictionary, settings.search_budget
        )
    except QueryError as exc:
        raise Refusal(ErrorCode.BAD_QUERY, str(exc)) from None
    except IndexUnavailable as exc:
        reason = Reason(reason=str(exc))
        raise Refusal(ErrorCode.INDEX_UNAVAILABLE, INDEX_UNAVAILABLE, reason) from None


@router.get("/search", response_class=HTMLResponse, include_in_schema=False)
def search_page(
    request: Request,
    session: SessionDep,
    backend: SearchBackendDep,
    dictionary: DictionaryDep,
    settings: SettingsDep,
    params: Annotated[_Search, Depends()],
) -> HTMLResponse:
    results, error, status = None, None, 200
    try:
        results = _run(params, session, backend, dictionary, settings)
    except Refusal as refusal:
        error, status = refusal.message, refusal.status
    context = {
        "q": params.q,
        "req": params.request,
        "results": results,
        "error": error,
        "month_changes": month_changes,
        "without": without,
        "also_names": also_names,
        "hit_url": partial(urls.search_hit, params.request),
    }
    return render(request, "search.html", context, status_code=status)


@router.get(
    "/api/search",
    tags=["search"],
    summary="Search commentaries",
    response_model=SearchAnswer,
    responses=errors(
        ErrorCode.BAD_REQUEST,
        ErrorCode.BAD_QUERY,
        ErrorCode.INDEX_UNAVAILABLE,
        ErrorCode.DATABASE_UNAVAILABLE,
    ),
)
def api_search(
    session: SessionDep,
    backend: SearchBackendDep,
    dictionary: DictionaryDep,
    settings: SettingsDep,
    params: Annotated[_Search, Depends()],
) -> SearchAnswer:
    """Full-text search over titles and bodies, with highlighted snippets and facets."""
    return search_answer(_run(params, session, backend, dictionary, settings))


@router.get("/search.atom", include_in_schema=False)
def search_feed(
    request: Request,
    session: SessionDep,
    backend: SearchBackendDep,
    dictionary: DictionaryDep,
    settings: SettingsDep,
    params: Annotated[_Search, Depends()],
) -> Response:
    params.request = replace(params.request, sort="newest", page=1, per_page=FEED_ENTRIES)
    results = _run(params, session, backend, dictionary, settings)
    title = f"搜索：{params.request.text}" if params.request.text else "最新评论"
    entries = [hit.commentary for hit in results.hits]
    return atom_response(request, f"{title} · 评论档案", urls.search(params.request), entries)


@router.get("/help", response_class=HTMLResponse, include_in_schema=False)
def help_page(request: Request) -> HTMLResponse:
    return render(request, "help.html", {})
