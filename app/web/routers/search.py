"""The search page, its JSON twin, its feed, and the query-language help page."""

from __future__ import annotations

from dataclasses import replace
from functools import partial
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from app.search import IndexUnavailable, QueryError, SearchRequest, Sort
from app.web.deps import DictionaryDep, SearchIndexDep, SessionDep
from app.web.feeds import atom_response
from app.web.openapi import errors
from app.web.queries.search import (
    DEFAULT_PER_PAGE,
    SearchResults,
    also_names,
    commentary_link,
    month_changes,
    search_commentaries,
    search_request,
    search_url,
    without,
)
from app.web.serialize import search_payload
from app.web.templating import render

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
    params: _Search, session: SessionDep, index: SearchIndexDep, dictionary: DictionaryDep
) -> tuple[SearchResults | None, str | None, int]:
    """Results, or an error message and its status."""
    if params.error is not None:
        return None, params.error, 400
    try:
        return search_commentaries(session, index, params.request, dictionary), None, 200
    except QueryError as exc:
        return None, str(exc), 400
    except IndexUnavailable as exc:
        return None, str(exc), 503


@router.get("/search", response_class=HTMLResponse, include_in_schema=False)
def search_page(
    request: Request,
    session: SessionDep,
    index: SearchIndexDep,
    dictionary: DictionaryDep,
    params: Annotated[_Search, Depends()],
) -> HTMLResponse:
    results, error, status = _run(params, session, index, dictionary)
    context = {
        "q": params.q,
        "req": params.request,
        "results": results,
        "error": error,
        "search_url": search_url,
        "month_changes": month_changes,
        "without": without,
        "also_names": also_names,
        "hit_url": partial(commentary_link, params.request),
    }
    return render(request, "search.html", context, status_code=status)


@router.get("/api/search", response_model=None, responses=errors(400, 503))
def api_search(
    session: SessionDep,
    index: SearchIndexDep,
    dictionary: DictionaryDep,
    params: Annotated[_Search, Depends()],
) -> dict[str, Any] | JSONResponse:
    """Full-text search over titles and bodies, with highlighted snippets and facets."""
    results, error, status = _run(params, session, index, dictionary)
    if results is None:
        label = "bad query" if status == 400 else "index unavailable"
        return JSONResponse({"error": label, "detail": error}, status_code=status)
    return search_payload(results)


@router.get("/search.atom", include_in_schema=False)
def search_feed(
    request: Request,
    session: SessionDep,
    index: SearchIndexDep,
    dictionary: DictionaryDep,
    params: Annotated[_Search, Depends()],
) -> Response:
    params.request = replace(params.request, sort="newest", page=1, per_page=FEED_ENTRIES)
    results, error, status = _run(params, session, index, dictionary)
    if results is None:
        return JSONResponse({"error": "bad query", "detail": error}, status_code=status)
    title = f"搜索：{params.request.text}" if params.request.text else "最新评论"
    entries = [hit.commentary for hit in results.hits]
    return atom_response(request, f"{title} · 评论档案", search_url(params.request), entries)


@router.get("/help", response_class=HTMLResponse, include_in_schema=False)
def help_page(request: Request) -> HTMLResponse:
    return render(request, "help.html", {})
