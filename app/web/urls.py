"""Every address of the site, built in one place.

Paths are root-relative (``/c/4``, never ``http://host/c/4``): a page reads the same
whatever Host header or proxy it was reached through. The one way to an absolute URL is
``Urls.link``, which prefixes the configured ``ARCHIVE_BASE_URL`` and leaves the path
root-relative when none is configured. Feed entries are named by ``tag:`` URIs, which
depend on nothing but the commentary id.

Templates reach the builder as the Jinja global ``urls``; Python code imports ``urls``
from here. JSON twins live under ``/api``: a commentary's at ``/api/commentaries/{id}``,
the others at ``/api`` followed by the page's path (``/api/tickers/NVDA``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import fields, replace
from typing import Any
from urllib.parse import quote, urlencode

from app.search import SearchRequest

# The tag: URIs of feeds and their entries (RFC 4151). The authority and date are fixed
# for good: an entry keeps its id whatever host, port or base URL serves the feed.
# ``.invalid`` is a name no one can register, so the ids never collide with another
# site's.
TAG_AUTHORITY = "commentary-archive.invalid"
TAG_DATE = "2026"
TAG_PREFIX = f"tag:{TAG_AUTHORITY},{TAG_DATE}:"

# Characters a path segment keeps as they are; everything else is percent-encoded.
_SEGMENT_SAFE = "-._~!$&'()*+,;=:@"
_PATH_SAFE = _SEGMENT_SAFE + "/"
_NO_SEARCH = SearchRequest()


def segment(value: str) -> str:
    """``value`` as one path segment: a ``/``, ``?`` or ``#`` in it cannot end it."""
    return quote(value, safe=_SEGMENT_SAFE)


def _with_query(path: str, params: list[tuple[str, str]], anchor: str | None = None) -> str:
    query = urlencode(params)
    return f"{path}{'?' + query if query else ''}{'#' + quote(anchor) if anchor else ''}"


def _page(page: int) -> list[tuple[str, str]]:
    return [("page", str(page))] if page != 1 else []


def search_params(request: SearchRequest | None = None, **changes: Any) -> list[tuple[str, str]]:
    """The URL parameters of ``request`` with ``changes`` applied; defaults are left out."""
    r = replace(request or _NO_SEARCH, **changes)
    params: list[tuple[str, str]] = []
    if r.text:
        params.append(("q", r.text))
    params.extend(("ticker", symbol) for symbol in r.tickers)
    if r.start is not None:
        params.append(("from", r.start.isoformat()))
    if r.end is not None:
        params.append(("to", r.end.isoformat()))
    if r.sort != _NO_SEARCH.sort:
        params.append(("sort", r.sort))
    if r.literal:
        params.append(("literal", "1"))
    if r.per_page != _NO_SEARCH.per_page:
        params.append(("per_page", str(r.per_page)))
    if r.page != 1:
        params.append(("page", str(r.page)))
    return params


_SEARCH_FIELDS = frozenset(f.name for f in fields(SearchRequest))


def search_at(path: str, request: SearchRequest | None = None, **changes: Any) -> str:
    """``path`` with the parameters of ``request`` changed by ``changes``; any change but
    a page starts over at page 1."""
    unknown = set(changes) - _SEARCH_FIELDS
    if unknown:
        raise TypeError(f"not a field of a search: {', '.join(sorted(unknown))}")
    changes.setdefault("page", 1)
    return _with_query(path, search_params(request, **changes))


class Urls:
    """The site's addresses; ``base_url`` (already validated, no trailing slash) is used
    by ``link`` alone."""

    HIGHLIGHT_ANCHOR = "hl"

    def __init__(self, base_url: str | None = None) -> None:
        self.base_url = base_url.rstrip("/") if base_url else None

    # Absolute addresses ------------------------------------------------------------

    def link(self, path: str) -> str:
        """``path`` as an absolute URL under the configured base URL, or as it is
        (root-relative) when none is configured."""
        if not path.startswith("/") or path.startswith("//"):
            raise ValueError(f"not a root-relative path: {path!r}")
        return f"{self.base_url}{path}" if self.base_url else path

    @staticmethod
    def tag(path: str) -> str:
        """A ``tag:`` URI naming what lives at ``path``; it never changes with the host,
        the port or the base URL."""
        if not path.startswith("/"):
            raise ValueError(f"not a root-relative path: {path!r}")
        return f"{TAG_PREFIX}{path}"

    def commentary_tag(self, commentary_id: int | None) -> str:
        return self.tag(self.commentary(commentary_id))

    @staticmethod
    def request_path(path: str, params: list[tuple[str, str]] | None = None) -> str:
        """The path (and parameters) a request named, percent-encoded, without a host:
        what the request line said, never what the Host header says."""
        return _with_query(quote("/" + path.lstrip("/"), safe=_PATH_SAFE), params or [])

    # Pages --------------------------------------------------------------------------

    @staticmethod
    def home() -> str:
        return "/"

    @staticmethod
    def help() -> str:
        return "/help"

    def commentary(
        self,
        commentary_id: int | None,
        q: str = "",
        literal: bool = False,
        anchor: str | None = None,
    ) -> str:
        """A commentary, with ``q`` highlighted (as written only, when ``literal``)."""
        if commentary_id is None:
            raise ValueError("a commentary without an id has no address")
        params = [("q", q)] if q else []
        if literal:
            params.append(("literal", "1"))
        return _with_query(f"/c/{int(commentary_id)}", params, anchor)

    def search_hit(self, request: SearchRequest, commentary_id: int | None) -> str:
        """A search hit: the commentary with the search's words highlighted, scrolled to
        the first of them."""
        marked = bool(request.text or request.literal)
        return self.commentary(
            commentary_id,
            q=request.text,
            literal=request.literal,
            anchor=self.HIGHLIGHT_ANCHOR if marked else None,
        )

    def mention(self, commentary_id: int | None, mention_id: int | None) -> str:
        """A mention in its commentary (the ``#m…`` anchor of the annotated text)."""
        if mention_id is None:
            raise ValueError("a mention without an id has no address")
        return self.commentary(commentary_id, anchor=f"m{int(mention_id)}")

    @staticmethod
    def original_text(commentary_id: int | None) -> str:
        if commentary_id is None:
            raise ValueError("a commentary without an id has no address")
        return f"/c/{int(commentary_id)}.txt"

    @staticmethod
    def tickers(sort: str | None = None, filter: str = "") -> str:
        params = [("sort", sort)] if sort else []
        if filter:
            params.append(("filter", filter))
        return _with_query("/tickers", params)

    @staticmethod
    def ticker(symbol: str, page: int = 1, per_page: int | None = None) -> str:
        params = _page(page)
        if per_page is not None:
            params.append(("per_page", str(per_page)))
        return _with_query(f"/tickers/{segment(symbol)}", params)

    @staticmethod
    def search(request: SearchRequest | None = None, **changes: Any) -> str:
        return search_at("/search", request, **changes)

    @staticmethod
    def timeline() -> str:
        return "/timeline"

    @staticmethod
    def timeline_year(year: int) -> str:
        return f"/timeline/{int(year)}"

    @staticmethod
    def timeline_month(year: int, month: int, page: int = 1) -> str:
        return _with_query(f"/timeline/{int(year)}/{int(month):02d}", _page(page))

    @staticmethod
    def timeline_day(day: dt.date, page: int = 1) -> str:
        return _with_query(f"/timeline/{day.year}/{day.month:02d}/{day.day:02d}", _page(page))

    @staticmethod
    def timeline_undated(page: int = 1) -> str:
        return _with_query("/timeline/undated", _page(page))

    # Feeds --------------------------------------------------------------------------

    @staticmethod
    def feed() -> str:
        return "/feed.atom"

    @staticmethod
    def ticker_feed(symbol: str) -> str:
        return f"/tickers/{segment(symbol)}.atom"

    @staticmethod
    def search_feed(request: SearchRequest | None = None, **changes: Any) -> str:
        return search_at("/search.atom", request, **changes)

    # Files, documentation, service --------------------------------------------------

    @staticmethod
    def static(path: str) -> str:
        """A file under ``static/``."""
        parts = path.split("/")
        if not path or any(part in ("", ".", "..") for part in parts):
            raise ValueError(f"not a file under static/: {path!r}")
        return "/static/" + "/".join(segment(part) for part in parts)

    @staticmethod
    def docs() -> str:
        return "/docs"

    @staticmethod
    def docs_asset(path: str) -> str:
        """A file of the Swagger UI package that /docs serves, e.g. ``swagger-ui.css``."""
        return f"/docs/ui/{quote(path)}"

    @staticmethod
    def openapi() -> str:
        return "/openapi.json"

    @staticmethod
    def health() -> str:
        return "/healthz"

    # JSON twins ---------------------------------------------------------------------

    @staticmethod
    def api(page: str) -> str:
        """The JSON twin of a page path: ``/api`` followed by the page's path (its query
        kept), ``/tickers/NVDA?page=2`` → ``/api/tickers/NVDA?page=2``."""
        if not page.startswith("/") or page.startswith(("//", "/api/")):
            raise ValueError(f"not a page path: {page!r}")
        return "/api" + page

    @staticmethod
    def api_search(request: SearchRequest | None = None, **changes: Any) -> str:
        return search_at("/api/search", request, **changes)

    @staticmethod
    def api_commentaries(page: int = 1) -> str:
        return _with_query("/api/commentaries", _page(page))

    @staticmethod
    def api_commentary(commentary_id: int | None) -> str:
        if commentary_id is None:
            raise ValueError("a commentary without an id has no address")
        return f"/api/commentaries/{int(commentary_id)}"

    def api_tickers(self, sort: str | None = None, filter: str = "") -> str:
        return self.api(self.tickers(sort, filter))

    def api_ticker(self, symbol: str, page: int = 1, per_page: int | None = None) -> str:
        return self.api(self.ticker(symbol, page, per_page))

    def api_timeline(self) -> str:
        return self.api(self.timeline())


urls = Urls()
