"""Each page's JSON twin: the API route that answers the same question, linked from the
page's ``<link rel="alternate" type="application/json">``."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import Request
from starlette.routing import NoMatchFound

from app.web.urls import urls

# Page route → (its twin's route, or None when the twin is the page's own path under
# /api; whether the twin takes the page's query string).
TWINS: dict[str, tuple[str | None, bool]] = {
    "home": ("api_home", False),
    "commentary_page": ("api_commentary", False),
    "search_page": (None, True),
    "tickers_page": (None, True),
    "ticker_page": (None, True),
    "timeline_page": (None, False),
    "year_page": (None, False),
    "month_page": (None, True),
    "day_page": (None, True),
    "undated_page": (None, True),
}


def json_twin(request: Request) -> str | None:
    """The root-relative address of the page's JSON twin, or None when it has none."""
    route = request.scope.get("route")
    twin = TWINS.get(getattr(route, "name", ""))
    if twin is None:
        return None
    name, with_query = twin
    if name is None:
        path = urls.api(quote(request.url.path))
    else:
        try:
            path = str(request.app.url_path_for(name, **request.path_params))
        except NoMatchFound:
            return None
    query = request.url.query if with_query else ""
    return f"{path}?{query}" if query else path
