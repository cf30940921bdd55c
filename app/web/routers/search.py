"""The search page and its JSON twin."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse

from app.search import IndexUnavailable, QueryError, Sort
from app.web.deps import SearchIndexDep, SessionDep
from app.web.queries.search import search_commentaries
from app.web.serialize import search_payload
from app.web.templating import render

router = APIRouter()

QueryQ = Annotated[str, Query(description="The query; empty lists the newest commentaries.")]
PageQ = Annotated[int, Query(ge=1, le=1000, description="Page number, from 1.")]
PerPageQ = Annotated[int, Query(ge=1, le=100, description="Hits per page (at most 100).")]
SortQ = Annotated[Sort, Query(description="relevance, newest or oldest.")]


@router.get("/search", response_class=HTMLResponse, include_in_schema=False)
def search_page(
    request: Request,
    session: SessionDep,
    index: SearchIndexDep,
    q: QueryQ = "",
    page: PageQ = 1,
    per_page: PerPageQ = 20,
    sort: SortQ = "relevance",
) -> HTMLResponse:
    try:
        results = search_commentaries(session, index, q, page=page, per_page=per_page, sort=sort)
    except QueryError as exc:
        return render(
            request, "search.html", {"q": q, "results": None, "error": str(exc)}, status_code=400
        )
    except IndexUnavailable as exc:
        return render(
            request, "search.html", {"q": q, "results": None, "error": str(exc)}, status_code=503
        )
    return render(request, "search.html", {"q": q, "results": results, "error": None})


@router.get("/api/search", response_model=None)
def api_search(
    session: SessionDep,
    index: SearchIndexDep,
    q: QueryQ = "",
    page: PageQ = 1,
    per_page: PerPageQ = 20,
    sort: SortQ = "relevance",
) -> dict[str, Any] | JSONResponse:
    """Full-text search over titles and bodies, with highlighted snippets."""
    try:
        results = search_commentaries(session, index, q, page=page, per_page=per_page, sort=sort)
    except QueryError as exc:
        return JSONResponse({"error": "bad query", "detail": str(exc)}, status_code=400)
    except IndexUnavailable as exc:
        return JSONResponse({"error": "index unavailable", "detail": str(exc)}, status_code=503)
    return search_payload(results)
