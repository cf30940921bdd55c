"""JSON shapes shared by the API routes."""

from __future__ import annotations

from typing import Any

from app.models import Commentary
from app.web.queries.search import SearchResults, also_names


def commentary_url(commentary_id: int | None) -> str:
    return f"/c/{commentary_id}"


def commentary_item(commentary: Commentary, tickers: list[str]) -> dict[str, Any]:
    return {
        "id": commentary.id,
        "title": commentary.title,
        "date": commentary.published.isoformat() if commentary.published else None,
        "date_precision": commentary.date_precision,
        "source": commentary.source,
        "tickers": tickers,
        "url": commentary_url(commentary.id),
    }


def search_payload(results: SearchResults) -> dict[str, Any]:
    """The JSON shape of a search."""
    request = results.request
    return {
        "query": request.text,
        "expanded": [
            {"word": word, "symbol": named.symbol, "names": also_names(word, named)}
            for word, named in results.expanded
        ],
        "synonyms": [{"word": word, "synonyms": list(others)} for word, others in results.synonyms],
        "total": results.total,
        "page": request.page,
        "per_page": request.per_page,
        "sort": results.sort,
        "took_ms": results.took_ms,
        "hits": [
            {
                **commentary_item(hit.commentary, hit.tickers),
                "score": hit.score,
                "snippets_html": [str(s) for s in hit.snippets],
            }
            for hit in results.hits
        ],
        "facets": {
            "tickers": [{"symbol": f.symbol, "count": f.count} for f in results.facets.tickers],
            "months": [{"month": f.month, "count": f.count} for f in results.facets.months],
        },
    }
