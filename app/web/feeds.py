"""Atom feeds of commentaries."""

from __future__ import annotations

import datetime as dt

from fastapi import Request
from fastapi.responses import Response

from app.models import Commentary

ATOM = "application/atom+xml; charset=utf-8"


def _stamp(value: dt.datetime) -> str:
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def atom_response(request: Request, title: str, path: str, entries: list[Commentary]) -> Response:
    base = str(request.base_url).rstrip("/")
    updated = max((e.updated_at for e in entries), default=dt.datetime(2000, 1, 1, tzinfo=dt.UTC))
    templates = request.app.state.templates
    body = templates.get_template("feed.atom.xml").render(
        title=title,
        base=base,
        path=path,
        self_url=f"{base}{request.url.path}",
        updated=_stamp(updated),
        entries=[(e, _stamp(e.updated_at)) for e in entries],
    )
    return Response(body, media_type=ATOM)
