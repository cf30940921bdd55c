"""The JSON answers of the API, one model per shape; ``/openapi.json`` describes each
from these. Item models are shared: a commentary in a list looks the same everywhere."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from app.models import DatePrecision
from app.search import Sort
from app.web.errors import PeriodLink


class Answer(BaseModel):
    model_config = ConfigDict(extra="forbid")


# Commentaries


class CommentaryItem(Answer):
    """A commentary in a list."""

    id: int = Field(description="The commentary's id.")
    title: str = Field(description="Its title (from front matter, the text, or its opening).")
    date: dt.date | None = Field(description="Its date, or null when it has none.")
    date_precision: DatePrecision = Field(
        description="`day`, `month` (dated to a month only: `date` is its first day), "
        "`inferred` (from a date in the text) or `none`."
    )
    source: str | None = Field(description="Where it was published, if known.")
    tickers: list[str] = Field(description="Symbols it mentions, the most mentioned first.")
    url: str = Field(description="Its page on this site.")


class CommentaryList(Answer):
    """A page of commentaries."""

    total: int = Field(description="How many match, on every page.")
    page: int = Field(description="This page's number, from 1.")
    per_page: int = Field(description="Items per page.")
    items: list[CommentaryItem] = Field(description="This page's commentaries.")


class MentionItem(Answer):
    """Where a commentary names an instrument."""

    id: int = Field(description="The mention's id; `/c/{commentary}#m{id}` links to it.")
    symbol: str = Field(description="The listing it was resolved to.")
    alias: str = Field(description="The text as written (a name, a symbol or a code).")
    start: int = Field(description="Offset of its first character in `body`.")
    end: int = Field(description="Offset just past its last character in `body`.")


class Neighbours(Answer):
    previous: CommentaryItem | None = Field(description="The commentary just before by date.")
    next: CommentaryItem | None = Field(description="The commentary just after by date.")


class CommentaryDetail(CommentaryItem):
    """One commentary in full."""

    author: str | None = Field(description="Its author, if known.")
    title_source: str = Field(description="`front_matter`, `in_text` or `derived`.")
    source_url: str | None = Field(description="The address it was published at, if known.")
    body: str = Field(description="The cleaned text; mention offsets point into it.")
    mentions: list[MentionItem] = Field(description="Every mention, in text order.")
    neighbours: Neighbours = Field(description="The commentaries before and after it.")
    related: list[CommentaryItem] = Field(description="Related commentaries, closest first.")


# Search


class ExpandedWord(Answer):
    word: str = Field(description="A query word that names an instrument.")
    symbol: str = Field(description="The instrument it names.")
    names: list[str] = Field(description="The other names it also matched.")


class SynonymGroup(Answer):
    word: str = Field(description="A query word with regional synonyms.")
    synonyms: list[str] = Field(description="The other words it also matched.")


class TickerFacet(Answer):
    symbol: str = Field(description="A symbol mentioned by the matching commentaries.")
    name: str | None = Field(description="Its name, as the pages show it.")
    count: int = Field(description="How many matching commentaries mention it.")


class MonthFacet(Answer):
    month: str = Field(description="A month, `YYYY-MM`.")
    label: str = Field(description="The month as the pages write it, e.g. 2024年9月.")
    count: int = Field(description="How many matching commentaries are dated in it.")


class SearchFacets(Answer):
    tickers: list[TickerFacet] = Field(description="Symbols, the most frequent first.")
    months: list[MonthFacet] = Field(description="Months of the matching commentaries.")


class SearchHit(CommentaryItem):
    score: float | None = Field(description="Relevance score; null when sorted by date.")
    snippets_html: list[str] = Field(
        description="Passages with the matched words in `<mark>`; otherwise escaped text."
    )


class SearchAnswer(Answer):
    """A page of search results."""

    query: str = Field(description="The query as run.")
    expanded: list[ExpandedWord] = Field(description="Words that matched an instrument's names.")
    synonyms: list[SynonymGroup] = Field(description="Words that matched regional synonyms.")
    total: int = Field(
        description="How many commentaries match; a lower bound when `total_exact` is false."
    )
    total_exact: bool = Field(
        description=(
            "Whether `total` is the exact count; false when counting every match would "
            "have taken longer than the search may (the page then says 至少, at least)."
        )
    )
    partial: bool = Field(
        description=(
            "Whether the search ran out of time (`ARCHIVE_SEARCH_BUDGET`) and answered "
            "with what it had found: the hits are the best of the commentaries it looked "
            "at, not of every commentary."
        )
    )
    page: int = Field(description="This page's number, from 1.")
    per_page: int = Field(description="Hits per page.")
    sort: Sort = Field(description="The order used: an empty query lists the newest.")
    took_ms: float = Field(description="Milliseconds the search took.")
    hits: list[SearchHit] = Field(description="This page's commentaries.")
    facets: SearchFacets = Field(description="Counts over every match, not only this page.")


# Tickers


class TickerRowItem(Answer):
    """An instrument mentioned at least once."""

    symbol: str = Field(description="The listing's symbol, e.g. `NVDA`, `0700.HK`.")
    issuer: str = Field(description="The company; its other listings share it.")
    name: str = Field(description="Its English name.")
    name_zh: str | None = Field(description="Its Chinese name, if it has one.")
    kind: str = Field(description="`stock`, `etf`, `index`, `crypto` or `commodity`.")
    documents: int = Field(description="Commentaries that mention it.")
    mentions: int = Field(description="Mentions in all.")
    last_date: dt.date | None = Field(description="Date of the newest dated mention.")


class MonthCount(Answer):
    month: str = Field(description="A month, `YYYY-MM`.")
    count: int = Field(description="Mentions in that month.")


class CoMention(Answer):
    symbol: str = Field(description="Another company's listing.")
    name: str | None = Field(description="Its name, Chinese when it has one.")
    count: int = Field(description="Commentaries naming both.")


class TickerMention(Answer):
    id: int = Field(description="The mention's id.")
    commentary_id: int = Field(description="The commentary it is in.")
    title: str = Field(description="That commentary's title.")
    date: dt.date | None = Field(description="That commentary's date.")
    alias: str = Field(description="The text as written.")
    symbol: str = Field(description="The listing it was resolved to.")
    snippet_html: str = Field(description="The sentence around it, the mention in `<mark>`.")


class TickerAnswer(Answer):
    """One instrument with its page of mentions."""

    symbol: str = Field(description="The listing's symbol.")
    issuer: str = Field(description="The company; mentions of every listing count.")
    listings: list[str] = Field(description="The company's listings, primary first.")
    learned: bool = Field(description="Learned from a commentary, not from our lists.")
    name: str = Field(description="Its English name.")
    name_zh: str | None = Field(description="Its Chinese name, if it has one.")
    aliases: list[str] = Field(description="Every name it is recognised by.")
    documents: int = Field(description="Commentaries that mention the company.")
    mentions_total: int = Field(description="Mentions in all.")
    first_date: dt.date | None = Field(description="Date of the oldest dated mention.")
    last_date: dt.date | None = Field(description="Date of the newest dated mention.")
    monthly: list[MonthCount] = Field(description="Mentions per month, oldest first.")
    co_mentions: list[CoMention] = Field(description="Companies named alongside, most first.")
    mentions: list[TickerMention] = Field(description="This page's mentions, newest first.")
    page: int = Field(description="This page's number, from 1.")
    per_page: int = Field(description="Mentions per page.")


# Home


class ArchiveStats(Answer):
    commentaries: int = Field(description="Commentaries in the archive.")
    dated: int = Field(description="Those with a date.")
    first: dt.date | None = Field(description="The oldest date.")
    last: dt.date | None = Field(description="The newest date.")


class RecentTicker(Answer):
    symbol: str = Field(description="An instrument's symbol.")
    name: str = Field(description="Its Chinese name, else its English one.")
    mentions: int = Field(description="Mentions in the recent window.")


class HomeAnswer(Answer):
    """What the home page shows."""

    stats: ArchiveStats = Field(description="Counts and the date range of the archive.")
    tickers: int = Field(description="Instruments mentioned at least once.")
    recent_from: dt.date | None = Field(
        description="Start of the recent window: the 30 days ending on the newest date."
    )
    recent: list[RecentTicker] = Field(description="The most mentioned in that window.")
    latest: list[CommentaryItem] = Field(description="The newest commentaries.")


# Timeline


class TimelineMonth(Answer):
    month: str = Field(description="A month, `YYYY-MM`.")
    count: int = Field(description="Commentaries dated in it (to the day or the month).")


class TimelineYear(Answer):
    year: int = Field(description="A year.")
    count: int = Field(description="Commentaries dated in it.")
    months: list[TimelineMonth] = Field(description="Its months with commentaries, newest first.")


class TimelineAnswer(Answer):
    """The whole archive by date."""

    years: list[TimelineYear] = Field(description="Years with commentaries, newest first.")
    undated: int = Field(description="Commentaries without a date.")


class DayCount(Answer):
    date: dt.date = Field(description="A day.")
    count: int = Field(description="Commentaries dated to it.")


class YearAnswer(Answer):
    """One year of the timeline."""

    year: int = Field(description="The year.")
    count: int = Field(description="Commentaries dated in it.")
    months: list[TimelineMonth] = Field(description="Its months with commentaries, oldest first.")
    days: list[DayCount] = Field(description="Its days with commentaries, oldest first.")
    earlier: PeriodLink | None = Field(description="The nearest earlier year with commentaries.")
    later: PeriodLink | None = Field(description="The nearest later year with commentaries.")


class PeriodAnswer(CommentaryList):
    """The commentaries of one month or day, newest first; in a month, those dated to the
    month only come after the days."""

    period: str = Field(description="`YYYY-MM` or `YYYY-MM-DD`.")
    label: str = Field(description="The period as readers see it.")
    kind: Literal["month", "day"] = Field(description="Whether the period is a month or a day.")
    earlier: PeriodLink | None = Field(description="The nearest earlier period with some.")
    later: PeriodLink | None = Field(description="The nearest later period with some.")


# Health


class Health(Answer):
    """Whether the archive can be served."""

    status: Literal["ok", "degraded"] = Field(description="`ok` when both parts are usable.")
    database: str = Field(description="`ok`, or what is wrong with the database.")
    index: str = Field(description="`ok`, or what is wrong with the search index.")
    documents: int = Field(description="Commentaries in the database.")
    indexed: int = Field(description="Commentaries in the search index.")


# Suggestions


class InstrumentSuggestion(Answer):
    """An instrument whose name, symbol, code or pinyin the typed text matches."""

    kind: Literal["instrument"] = Field(
        default="instrument", description="`instrument`: the entry leads to a ticker page."
    )
    label: str = Field(description="Its Chinese name (英伟达), else its English name.")
    symbol: str = Field(description="Canonical symbol: NVDA, 600519.SS, 2330.TW.")
    name: str = Field(description="Its English name.")
    category: str = Field(description="What it is, in Chinese: 股票, 指数, ETF …")
    matched: str | None = Field(
        description="The other name it was found by (輝達 when the label is 英伟达), if any."
    )
    mentions: int = Field(description="Mentions of the company in the archive, any listing.")
    url: str = Field(description="Its ticker page, root-relative.")


class TitleSuggestion(Answer):
    """A commentary whose title holds the typed text."""

    kind: Literal["title"] = Field(
        default="title", description="`title`: the entry leads to a commentary."
    )
    label: str = Field(description="The commentary's title.")
    id: int = Field(description="The commentary's id.")
    date: str = Field(description="Its date as the pages show it (2024年9月14日, 未注明日期).")
    url: str = Field(description="The commentary page, root-relative.")


Suggestion = Annotated[InstrumentSuggestion | TitleSuggestion, Field(discriminator="kind")]


class SuggestResponse(Answer):
    q: str = Field(description="The text the suggestions are for, as received.")
    suggestions: list[Suggestion] = Field(
        description="Instruments first (at most 8), then titles (at most 5), best first."
    )
