"""The Jinja environment: autoescape on, undefined names are errors, filters in one place."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import escape

from app.models import Commentary, DatePrecision
from app.text.titles import opening
from app.web.body_html import body_format, body_text
from app.web.urls import Urls, urls

TEMPLATES_DIR = Path(__file__).resolve().parent.parent.parent / "templates"

# What a reader is told about a date that is not a plain day.
PRECISION_NOTES = {
    DatePrecision.MONTH: ("月份", "只注明了月份"),
    DatePrecision.INFERRED: ("推断", "日期由正文中提到的日期推断"),
}


KIND_LABELS = {
    "stock": "股票",
    "etf": "ETF",
    "index": "指数",
    "crypto": "加密货币",
    "commodity": "商品",
}


def kind_label(kind: str) -> str:
    return KIND_LABELS.get(kind, kind)


def show_date(value: dt.date | None, precision: str = DatePrecision.DAY) -> str:
    if value is None:
        return "未注明日期"
    if precision == DatePrecision.MONTH:
        return f"{value.year}年{value.month}月"
    return f"{value.year}年{value.month}月{value.day}日"


def precision_note(precision: str) -> tuple[str, str] | None:
    """A short label and an explanation for a month-only or inferred date."""
    return PRECISION_NOTES.get(DatePrecision(precision))


def safe_url(url: str | None) -> str | None:
    """``url`` when it is a web address; a ``javascript:`` or other scheme is dropped."""
    if url and url.strip().lower().startswith(("http://", "https://")):
        return url.strip()
    return None


def paragraphs(text: str) -> list[str]:
    return [p for p in text.split("\n") if p.strip()]


LEAD_CHARS = 110
WEEKDAYS = "一二三四五六日"


# Enough of a body's source for a lead of LEAD_CHARS once Markdown's markers are gone.
LEAD_SOURCE_CHARS = 4 * LEAD_CHARS


def lead(commentary: Commentary) -> str:
    """The opening of a commentary as a list shows it: its first words on one line,
    Markdown read as the page shows it."""
    source = commentary.body[:LEAD_SOURCE_CHARS]
    return opening(body_text(source, body_format(commentary.origin_path)), LEAD_CHARS)


def weekday(value: dt.date) -> str:
    return f"星期{WEEKDAYS[value.weekday()]}"


def reading_minutes(chars: int) -> int:
    # Readers of Chinese manage roughly 400 characters a minute.
    return max(1, round(chars / 400))


def site_urls(request: Request) -> Urls:
    """The URL builder with the base URL this app is configured with."""
    return Urls(request.app.state.settings.base_url)


def canonical_url(request: Request, with_query: bool = True) -> str:
    """The address of this page (and, unless told otherwise, its parameters): absolute
    under ``ARCHIVE_BASE_URL``, else root-relative, which RFC 6596 allows and which
    resolves against the address the reader used. Built from the request line's path,
    never from the Host header."""
    params = request.query_params.multi_items() if with_query else []
    return site_urls(request).link(Urls.request_path(request.scope["path"], params))


def render(
    request: Request, template: str, context: dict[str, Any], status_code: int = 200
) -> HTMLResponse:
    templates: Jinja2Templates = request.app.state.templates
    response: HTMLResponse = templates.TemplateResponse(
        request, template, {"q": "", **context}, status_code=status_code
    )
    return response


def build_templates() -> Jinja2Templates:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES_DIR),
        autoescape=select_autoescape(["html", "xml"], default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        # Templates change only with the code: no look at their files on every render.
        auto_reload=False,
    )
    filters: dict[str, Any] = {
        "show_date": show_date,
        "precision_note": precision_note,
        "safe_url": safe_url,
        "kind_label": kind_label,
        "paragraphs": paragraphs,
        "reading_minutes": reading_minutes,
        "lead": lead,
        "weekday": weekday,
        "escape": escape,
    }
    env.filters.update(filters)
    env.globals["canonical_url"] = canonical_url
    env.globals["urls"] = urls
    return Jinja2Templates(env=env)
