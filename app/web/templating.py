"""The Jinja environment: autoescape on, undefined names are errors, filters in one place."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup, escape

from app.models import DatePrecision

TEMPLATES_DIR = Path(__file__).resolve().parent.parent.parent / "templates"

PRECISION_LABELS = {
    DatePrecision.DAY: "",
    DatePrecision.MONTH: "（月份）",
    DatePrecision.INFERRED: "（推断）",
    DatePrecision.NONE: "",
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
    text = f"{value.year}年{value.month}月{value.day}日"
    return text + PRECISION_LABELS.get(DatePrecision(precision), "")


def paragraphs(text: str) -> list[str]:
    return [p for p in text.split("\n") if p.strip()]


def marked_paragraphs(html: Markup) -> list[Markup]:
    """Split already-escaped, highlighted text into paragraphs."""
    return [Markup(p) for p in str(html).split("\n") if p.strip()]


def reading_minutes(chars: int) -> int:
    # Readers of Chinese manage roughly 400 characters a minute.
    return max(1, round(chars / 400))


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
    )
    filters: dict[str, Any] = {
        "show_date": show_date,
        "kind_label": kind_label,
        "paragraphs": paragraphs,
        "marked_paragraphs": marked_paragraphs,
        "reading_minutes": reading_minutes,
        "escape": escape,
    }
    env.filters.update(filters)
    return Jinja2Templates(env=env)
