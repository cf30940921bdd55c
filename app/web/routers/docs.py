"""/docs: the API described by Swagger UI, every file served from this site."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from app.web.templating import render

router = APIRouter()


@router.get("/docs", response_class=HTMLResponse, include_in_schema=False)
def api_docs(request: Request) -> HTMLResponse:
    return render(request, "docs.html", {"openapi_url": request.app.openapi_url})
