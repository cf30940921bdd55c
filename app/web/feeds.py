"""Atom feeds of commentaries.

Entries and feeds are named by ``tag:`` URIs that hang on nothing but the commentary id
or the feed's page, so a reader never sees an entry twice because the host, the port or
the base URL changed. Links are absolute under ``ARCHIVE_BASE_URL``, else root-relative
(resolved against the feed's own address, RFC 4287 section 4.2.7 and XML Base).
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import quote

from fastapi import Request
from fastapi.responses import Response

from app.models import Commentary
from app.web.templating import site_urls
from app.web.urls import Urls

ATOM = "application/atom+xml; charset=utf-8"
# What a path that is already percent-encoded keeps as it is.
_ENCODED_SAFE = "-._~!$&'()*+,;=:@/?%"


def _stamp(value: dt.datetime) -> str:
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def atom_response(request: Request, title: str, path: str, entries: list[Commentary]) -> Response:
    """The feed of ``entries``; ``path`` is the page the feed follows (``/``, a search,
    a ticker page)."""
    urls = site_urls(request)
    page = quote(path, safe=_ENCODED_SAFE)
    own = Urls.request_path(request.scope["path"], request.query_params.multi_items())
    updated = max((e.updated_at for e in entries), default=dt.datetime(2000, 1, 1, tzinfo=dt.UTC))
    templates = request.app.state.templates
    body = templates.get_template("feed.atom.xml").render(
        title=title,
        feed_id=urls.tag(page),
        page_url=urls.link(page),
        self_url=urls.link(own),
        updated=_stamp(updated),
        entries=[
            (e, _stamp(e.updated_at), urls.commentary_tag(e.id), urls.link(urls.commentary(e.id)))
            for e in entries
        ],
    )
    return Response(body, media_type=ATOM)
