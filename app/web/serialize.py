"""Query results as the API's answer models (``app.web.api_models``)."""

from __future__ import annotations

from app.models import Commentary, DatePrecision, Mention
from app.web.api_models import (
    ArchiveStats,
    CoMention,
    CommentaryDetail,
    CommentaryItem,
    CommentaryList,
    DayCount,
    ExpandedWord,
    HomeAnswer,
    MentionItem,
    MonthCount,
    MonthFacet,
    Neighbours,
    PeriodAnswer,
    RecentTicker,
    SearchAnswer,
    SearchFacets,
    SearchHit,
    SynonymGroup,
    TickerAnswer,
    TickerFacet,
    TickerMention,
    TickerRowItem,
    TimelineAnswer,
    TimelineMonth,
    TimelineYear,
    YearAnswer,
)
from app.web.errors import NearestPeriods, PeriodLink
from app.web.queries.commentaries import CommentaryPage
from app.web.queries.home import HomePage
from app.web.queries.search import SearchResults, also_names
from app.web.queries.tickers import TickerDetail, TickerRow
from app.web.queries.timeline import Calendar, Period
from app.web.urls import urls


def commentary_url(commentary_id: int | None) -> str:
    return urls.commentary(commentary_id)


def commentary_item(commentary: Commentary, tickers: list[str]) -> CommentaryItem:
    return CommentaryItem(
        id=commentary.id or 0,
        title=commentary.title,
        date=commentary.published,
        date_precision=DatePrecision(commentary.date_precision),
        source=commentary.source,
        tickers=tickers,
        url=commentary_url(commentary.id),
    )


def commentary_list(listing: CommentaryPage, tickers: dict[int, list[str]]) -> CommentaryList:
    return CommentaryList(
        total=listing.total,
        page=listing.page,
        per_page=listing.per_page,
        items=[commentary_item(c, tickers.get(c.id or 0, [])) for c in listing.items],
    )


def commentary_detail(
    commentary: Commentary,
    tickers: dict[int, list[str]],
    mentions: list[Mention],
    earlier: Commentary | None,
    later: Commentary | None,
    related: list[Commentary],
) -> CommentaryDetail:
    """One commentary; ``tickers`` holds the symbols of it and of every other one given."""

    def item(other: Commentary | None) -> CommentaryItem | None:
        return commentary_item(other, tickers.get(other.id or 0, [])) if other else None

    base = commentary_item(commentary, tickers.get(commentary.id or 0, []))
    return CommentaryDetail(
        **dict(base),
        author=commentary.author,
        title_source=commentary.title_source,
        source_url=commentary.url,
        body=commentary.body,
        mentions=[
            MentionItem(id=m.id or 0, symbol=m.symbol, alias=m.alias, start=m.start, end=m.end)
            for m in mentions
        ],
        neighbours=Neighbours(previous=item(earlier), next=item(later)),
        related=[commentary_item(c, tickers.get(c.id or 0, [])) for c in related],
    )


def search_answer(results: SearchResults) -> SearchAnswer:
    request = results.request
    return SearchAnswer(
        query=request.text,
        expanded=[
            ExpandedWord(word=word, symbol=named.symbol, names=also_names(word, named))
            for word, named in results.expanded
        ],
        synonyms=[SynonymGroup(word=w, synonyms=list(others)) for w, others in results.synonyms],
        total=results.total,
        total_exact=results.total_exact,
        partial=results.partial,
        page=request.page,
        per_page=request.per_page,
        sort=results.sort,
        took_ms=results.took_ms,
        hits=[
            SearchHit(
                **dict(commentary_item(hit.commentary, hit.tickers)),
                score=hit.score,
                snippets_html=[str(s) for s in hit.snippets],
            )
            for hit in results.hits
        ],
        facets=SearchFacets(
            tickers=[
                TickerFacet(symbol=f.symbol, name=f.name, count=f.count)
                for f in results.facets.tickers
            ],
            months=[
                MonthFacet(month=f.month, label=f.label, count=f.count)
                for f in results.facets.months
            ],
        ),
    )


def ticker_row(row: TickerRow) -> TickerRowItem:
    return TickerRowItem(
        symbol=row.symbol,
        issuer=row.issuer,
        name=row.name,
        name_zh=row.name_zh,
        kind=row.kind,
        documents=row.documents,
        mentions=row.mentions,
        last_date=row.last_date,
    )


def ticker_answer(detail: TickerDetail) -> TickerAnswer:
    i = detail.instrument
    return TickerAnswer(
        symbol=i.symbol,
        issuer=i.issuer or i.symbol,
        listings=[listing.symbol for listing in detail.listings],
        learned=i.learned,
        name=i.name,
        name_zh=i.name_zh,
        aliases=detail.aliases,
        documents=detail.documents,
        mentions_total=detail.mentions_total,
        first_date=detail.first_date,
        last_date=detail.last_date,
        monthly=[MonthCount(month=m, count=c) for m, c in detail.monthly],
        co_mentions=[
            CoMention(symbol=s, name=detail.co_names.get(s), count=c) for s, c in detail.co_mentions
        ],
        mentions=[
            TickerMention(
                id=m.id,
                commentary_id=m.commentary_id,
                title=m.title,
                date=m.date,
                alias=m.alias,
                symbol=m.symbol,
                snippet_html=str(m.snippet),
            )
            for m in detail.mentions
        ],
        page=detail.page,
        per_page=detail.per_page,
    )


def home_answer(home: HomePage) -> HomeAnswer:
    o = home.overview
    return HomeAnswer(
        stats=ArchiveStats(
            commentaries=o.stats.commentaries,
            dated=o.stats.dated,
            first=o.stats.first,
            last=o.stats.last,
        ),
        tickers=o.tickers,
        recent_from=o.recent_from,
        recent=[RecentTicker(symbol=r.symbol, name=r.name, mentions=r.mentions) for r in o.recent],
        latest=commentary_list(home.latest, home.tickers).items,
    )


def _month_key(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}"


def timeline_answer(cal: Calendar) -> TimelineAnswer:
    return TimelineAnswer(
        years=[
            TimelineYear(
                year=year,
                count=count,
                months=[
                    TimelineMonth(month=_month_key(year, m), count=c)
                    for m, c in sorted(cal.months_of(year).items(), reverse=True)
                ],
            )
            for year, count in sorted(cal.years.items(), reverse=True)
        ],
        undated=cal.undated,
    )


def period_link(period: Period | None, cal: Calendar) -> PeriodLink | None:
    if period is None:
        return None
    return PeriodLink(
        period=period.key,
        label=period.label,
        count=period.count(cal),
        url=period.path,
        api_url=f"/api{period.path}",
    )


def nearest_periods(period: Period, cal: Calendar) -> NearestPeriods:
    earlier, later = period.neighbours(cal)
    return NearestPeriods(earlier=period_link(earlier, cal), later=period_link(later, cal))


def year_answer(year: int, cal: Calendar) -> YearAnswer:
    nearest = nearest_periods(Period(year), cal)
    return YearAnswer(
        year=year,
        count=cal.years.get(year, 0),
        months=[
            TimelineMonth(month=_month_key(year, m), count=c)
            for m, c in sorted(cal.months_of(year).items())
        ],
        days=[DayCount(date=d, count=c) for d, c in sorted(cal.days_of(year).items())],
        earlier=nearest.earlier,
        later=nearest.later,
    )


def period_answer(
    period: Period, cal: Calendar, listing: CommentaryPage, tickers: dict[int, list[str]]
) -> PeriodAnswer:
    nearest = nearest_periods(period, cal)
    return PeriodAnswer(
        **dict(commentary_list(listing, tickers)),
        period=period.key,
        label=period.label,
        kind="day" if period.day is not None else "month",
        earlier=nearest.earlier,
        later=nearest.later,
    )
