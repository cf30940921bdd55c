"""The archive by date: years with calendars, months, days, the undated, and their JSON
twins. A date that does not exist is a 404; so is a period with nothing in it, which
links the nearest periods that have something."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse
from sqlmodel import Session

from app.web.api_models import CommentaryList, PeriodAnswer, TimelineAnswer, YearAnswer
from app.web.charts import year_heatmap
from app.web.deps import SessionDep
from app.web.errors import ErrorCode, Refusal, errors
from app.web.messages import empty_period, no_such_date
from app.web.queries.commentaries import CommentaryPage, tickers_of
from app.web.queries.timeline import (
    Calendar,
    Period,
    archive_calendar,
    group_by_day,
    in_period,
    undated,
)
from app.web.serialize import (
    commentary_list,
    nearest_periods,
    period_answer,
    timeline_answer,
    year_answer,
)
from app.web.templating import render

router = APIRouter()

PER_PAGE = 50
PageQ = Annotated[int, Query(ge=1, le=10_000, description="Page number, from 1.")]
# A date that does not exist (month 13, 30 February) is a 404, not a 400.
YearP = Annotated[int, Path(description="A year, e.g. `2024`.")]
MonthP = Annotated[int, Path(description="A month, `1`–`12` (`09` or `9`).")]
DayP = Annotated[int, Path(description="A day of the month, `1`–`31`.")]
YEAR = errors(ErrorCode.NOT_FOUND, ErrorCode.EMPTY_PERIOD, ErrorCode.DATABASE_UNAVAILABLE)
PERIOD = errors(
    ErrorCode.BAD_REQUEST,
    ErrorCode.NOT_FOUND,
    ErrorCode.EMPTY_PERIOD,
    ErrorCode.DATABASE_UNAVAILABLE,
)


def _heatmaps(cal: Calendar, years: list[int]) -> dict[int, object]:
    peak = max(cal.days.values(), default=0)
    return {year: year_heatmap(year, cal.days_of(year), peak) for year in years}


def _with_commentaries(session: Session, period: Period) -> Calendar:
    """The calendar, when ``period`` exists and holds commentaries; else a refusal."""
    try:
        period.bounds()
    except ValueError:
        raise Refusal(
            ErrorCode.NOT_FOUND, no_such_date(period.year, period.month, period.day)
        ) from None
    cal = archive_calendar(session)
    if period.count(cal) == 0:
        nearest = nearest_periods(period, cal)
        raise Refusal(ErrorCode.EMPTY_PERIOD, empty_period(period.label), nearest)
    return cal


def _listing(session: Session, period: Period, page: int) -> tuple[Calendar, CommentaryPage]:
    cal = _with_commentaries(session, period)
    start, end = period.bounds()
    whole_months = period.day is None
    listing = in_period(
        session, start, end, whole_months=whole_months, page=page, per_page=PER_PAGE
    )
    return cal, listing


def _tickers(session: Session, listing: CommentaryPage) -> dict[int, list[str]]:
    return tickers_of(session, [c.id for c in listing.items if c.id is not None])


@router.get("/timeline", response_class=HTMLResponse, include_in_schema=False)
def timeline_page(request: Request, session: SessionDep) -> HTMLResponse:
    cal = archive_calendar(session)
    years = sorted(cal.years, reverse=True)
    context = {"cal": cal, "years": years, "heatmaps": _heatmaps(cal, years)}
    return render(request, "timeline/index.html", context)


@router.get(
    "/api/timeline",
    tags=["timeline"],
    summary="The archive by year and month",
    response_model=TimelineAnswer,
    responses=errors(ErrorCode.DATABASE_UNAVAILABLE),
)
def api_timeline(session: SessionDep) -> TimelineAnswer:
    """Commentaries per year and month, newest first, and how many are undated."""
    return timeline_answer(archive_calendar(session))


@router.get("/timeline/undated", response_class=HTMLResponse, include_in_schema=False)
def undated_page(request: Request, session: SessionDep, page: PageQ = 1) -> HTMLResponse:
    listing = undated(session, page, PER_PAGE)
    context = {"listing": listing, "tickers": _tickers(session, listing)}
    return render(request, "timeline/undated.html", context)


@router.get(
    "/api/timeline/undated",
    tags=["timeline"],
    summary="Commentaries without a date",
    response_model=CommentaryList,
    responses=errors(ErrorCode.BAD_REQUEST, ErrorCode.DATABASE_UNAVAILABLE),
)
def api_undated(session: SessionDep, page: PageQ = 1) -> CommentaryList:
    """Commentaries without a date, the most recently added first (50 a page)."""
    listing = undated(session, page, PER_PAGE)
    return commentary_list(listing, _tickers(session, listing))


@router.get("/timeline/{year:int}", response_class=HTMLResponse, include_in_schema=False)
def year_page(request: Request, session: SessionDep, year: int) -> HTMLResponse:
    cal = _with_commentaries(session, Period(year))
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


@router.get(
    "/api/timeline/{year:int}",
    tags=["timeline"],
    summary="One year",
    response_model=YearAnswer,
    responses=YEAR,
)
def api_year(session: SessionDep, year: YearP) -> YearAnswer:
    """One year: its months and days with commentaries, and the nearest years with some."""
    return year_answer(year, _with_commentaries(session, Period(year)))


def _listing_page(request: Request, session: Session, period: Period, page: int) -> HTMLResponse:
    cal, listing = _listing(session, period, page)
    start, _ = period.bounds()
    nearby: tuple[object, object] = (
        cal.day_neighbours(start)
        if period.day is not None
        else cal.month_neighbours((start.year, start.month))
    )
    earlier, later = nearby
    context = {
        "start": start,
        "day": period.day,
        "listing": listing,
        "groups": group_by_day(listing.items),
        "tickers": _tickers(session, listing),
        "earlier": earlier,
        "later": later,
    }
    return render(request, "timeline/period.html", context)


def _period_answer(session: Session, period: Period, page: int) -> PeriodAnswer:
    cal, listing = _listing(session, period, page)
    return period_answer(period, cal, listing, _tickers(session, listing))


@router.get(
    "/timeline/{year:int}/{month:int}", response_class=HTMLResponse, include_in_schema=False
)
def month_page(
    request: Request, session: SessionDep, year: int, month: int, page: PageQ = 1
) -> HTMLResponse:
    return _listing_page(request, session, Period(year, month), page)


@router.get(
    "/api/timeline/{year:int}/{month:int}",
    tags=["timeline"],
    summary="One month",
    response_model=PeriodAnswer,
    responses=PERIOD,
)
def api_month(session: SessionDep, year: YearP, month: MonthP, page: PageQ = 1) -> PeriodAnswer:
    """One month's commentaries (50 a page): by day, newest first, then those dated to
    the month only; with the nearest months that have commentaries."""
    return _period_answer(session, Period(year, month), page)


@router.get(
    "/timeline/{year:int}/{month:int}/{day:int}",
    response_class=HTMLResponse,
    include_in_schema=False,
)
def day_page(
    request: Request, session: SessionDep, year: int, month: int, day: int, page: PageQ = 1
) -> HTMLResponse:
    return _listing_page(request, session, Period(year, month, day), page)


@router.get(
    "/api/timeline/{year:int}/{month:int}/{day:int}",
    tags=["timeline"],
    summary="One day",
    response_model=PeriodAnswer,
    responses=PERIOD,
)
def api_day(
    session: SessionDep, year: YearP, month: MonthP, day: DayP, page: PageQ = 1
) -> PeriodAnswer:
    """One day's commentaries (50 a page), with the nearest days that have commentaries."""
    return _period_answer(session, Period(year, month, day), page)
