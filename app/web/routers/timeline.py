"""The archive by date: years with calendars, months, days, the undated, and the JSON."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import HTMLResponse

from app.web.charts import year_heatmap
from app.web.deps import SessionDep
from app.web.queries.commentaries import tickers_of
from app.web.queries.timeline import (
    Calendar,
    archive_calendar,
    group_by_day,
    in_period,
    period_bounds,
    undated,
)
from app.web.templating import render

router = APIRouter()

PER_PAGE = 50
PageQ = Annotated[int, Query(ge=1, le=10_000, description="Page number, from 1.")]


def _heatmaps(cal: Calendar, years: list[int]) -> dict[int, object]:
    peak = max(cal.days.values(), default=0)
    return {year: year_heatmap(year, cal.days_of(year), peak) for year in years}


def _period(year: int, month: int | None = None, day: int | None = None) -> tuple[dt.date, dt.date]:
    try:
        if not 1 <= year <= 9999:
            raise ValueError
        return period_bounds(year, month, day)
    except (ValueError, OverflowError):
        parts = "/".join(str(p) for p in (year, month, day) if p is not None)
        raise HTTPException(404, f"no such date: {parts}") from None


@router.get("/timeline", response_class=HTMLResponse, include_in_schema=False)
def timeline_page(request: Request, session: SessionDep) -> HTMLResponse:
    cal = archive_calendar(session)
    years = sorted(cal.years, reverse=True)
    context = {"cal": cal, "years": years, "heatmaps": _heatmaps(cal, years)}
    return render(request, "timeline/index.html", context)


@router.get("/timeline/undated", response_class=HTMLResponse, include_in_schema=False)
def undated_page(request: Request, session: SessionDep, page: PageQ = 1) -> HTMLResponse:
    listing = undated(session, page, PER_PAGE)
    tickers = tickers_of(session, [c.id for c in listing.items if c.id is not None])
    return render(request, "timeline/undated.html", {"listing": listing, "tickers": tickers})


@router.get("/timeline/{year:int}", response_class=HTMLResponse, include_in_schema=False)
def year_page(request: Request, session: SessionDep, year: int) -> HTMLResponse:
    _period(year)
    cal = archive_calendar(session)
    earlier, later = cal.year_neighbours(year)
    context = {
        "year": year,
        "cal": cal,
        "count": cal.years.get(year, 0),
        "months": cal.months_of(year),
        "heatmap": _heatmaps(cal, [year])[year],
        "earlier": earlier,
        "later": later,
    }
    return render(request, "timeline/year.html", context)


def _listing_page(
    request: Request,
    session: SessionDep,
    year: int,
    month: int,
    day: int | None,
    page: int,
) -> HTMLResponse:
    start, end = _period(year, month, day)
    cal = archive_calendar(session)
    listing = in_period(session, start, end, whole_months=day is None, page=page, per_page=PER_PAGE)
    tickers = tickers_of(session, [c.id for c in listing.items if c.id is not None])
    nearby: tuple[object, object] = (
        cal.day_neighbours(start) if day is not None else cal.month_neighbours((year, month))
    )
    earlier, later = nearby
    context = {
        "start": start,
        "day": day,
        "listing": listing,
        "groups": group_by_day(listing.items),
        "tickers": tickers,
        "earlier": earlier,
        "later": later,
    }
    return render(request, "timeline/period.html", context)


@router.get(
    "/timeline/{year:int}/{month:int}", response_class=HTMLResponse, include_in_schema=False
)
def month_page(
    request: Request, session: SessionDep, year: int, month: int, page: PageQ = 1
) -> HTMLResponse:
    return _listing_page(request, session, year, month, None, page)


@router.get(
    "/timeline/{year:int}/{month:int}/{day:int}",
    response_class=HTMLResponse,
    include_in_schema=False,
)
def day_page(
    request: Request, session: SessionDep, year: int, month: int, day: int, page: PageQ = 1
) -> HTMLResponse:
    return _listing_page(request, session, year, month, day, page)


@router.get("/api/timeline")
def api_timeline(session: SessionDep) -> dict[str, Any]:
    """Commentaries per year and month, newest first, and how many are undated."""
    cal = archive_calendar(session)
    return {
        "years": [
            {
                "year": year,
                "count": count,
                "months": [
                    {"month": f"{year:04d}-{m:02d}", "count": c}
                    for m, c in sorted(cal.months_of(year).items(), reverse=True)
                ],
            }
            for year, count in sorted(cal.years.items(), reverse=True)
        ],
        "undated": cal.undated,
    }
