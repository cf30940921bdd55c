"""Small charts drawn on the server as SVG, readable without JavaScript."""

from __future__ import annotations

import datetime as dt

from markupsafe import Markup, escape

from app.web.urls import urls

GAP = 4
HEIGHT = 120  # the tallest bar
TOP = 16  # room for the count above a bar
LABEL_SPACE = 36  # room for the month and year labels below
MANY_MONTHS = 24
AXIS_WIDTH = 34  # the y-axis: counts up to five digits at the axis font size
AXIS_TICKS = 4  # at most this many steps above zero


def month_range(first: str, last: str) -> list[str]:
    """Every ``YYYY-MM`` from ``first`` to ``last`` inclusive."""
    year, month = int(first[:4]), int(first[5:7])
    months = []
    while f"{year:04d}-{month:02d}" <= last:
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def axis_step(peak: int, ticks: int = AXIS_TICKS) -> int:
    """The step between y-axis counts: 1, 2 or 5 times a power of ten, the smallest that
    reaches ``peak`` in ``ticks`` steps (whole counts only)."""
    magnitude = 1
    while True:
        for factor in (1, 2, 5):
            step = factor * magnitude
            if step * ticks >= peak:
                return step
        magnitude *= 10


def _month_label(month: str) -> str:
    return f"{int(month[5:7])}月"


def monthly_bars(monthly: list[tuple[str, int]], label: str) -> Markup:
    """A bar per month from the first to the last month with data, empty months included,
    over a y-axis of counts. The axis is drawn apart from the bars, so that when many
    months scroll sideways on a narrow screen the counts stay in view. Each bar carries
    its count (as text above it, or as a tooltip when months are many); months are
    labelled in Chinese (January, April, July and October when many), with the year under the first
    month and each January."""
    if not monthly:
        return Markup("")
    counts = dict(monthly)
    months = month_range(monthly[0][0], monthly[-1][0])
    many = len(months) > MANY_MONTHS
    bar_width = 12 if many else 28
    step = axis_step(max(counts.values()))
    top = -(-max(counts.values()) // step) * step
    width = len(months) * (bar_width + GAP) + GAP
    height = TOP + HEIGHT + LABEL_SPACE
    base = TOP + HEIGHT

    def y_of(count: int) -> float:
        return base - HEIGHT * count / top

    axis = [
        f'<svg class="chart-axis" aria-hidden="true" viewBox="0 0 {AXIS_WIDTH} {height}" '
        f'width="{AXIS_WIDTH}" height="{height}">'
    ]
    parts = [
        f'<svg class="chart" role="img" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" aria-label="{escape(label)}">'
    ]
    for value in range(0, top + 1, step):
        y = y_of(value)
        axis.append(
            f'<text x="{AXIS_WIDTH - 4}" y="{y + 3.5:g}" class="tick" text-anchor="end">'
            f"{value}</text>"
        )
        parts.append(f'<line x1="0" x2="{width}" y1="{y:g}" y2="{y:g}" class="grid"/>')
    axis.append("</svg>")
    for i, month in enumerate(months):
        count = counts.get(month, 0)
        bar = round(HEIGHT * count / top) if count else 0
        x = GAP + i * (bar_width + GAP)
        parts.append(
            f"<g><title>{int(month[:4])}年{_month_label(month)}：{count} 次提及</title>"
            f'<rect x="{x}" y="{base - max(bar, 1)}" width="{bar_width}"'
            f' height="{max(bar, 1)}" class="{"bar" if count else "bar empty"}"/></g>'
        )
        if count and not many:
            parts.append(
                f'<text x="{x + bar_width / 2:g}" y="{base - bar - 4}"'
                f' class="count" text-anchor="middle">{count}</text>'
            )
        number = int(month[5:7])
        if not many or number % 3 == 1:
            parts.append(f'<text x="{x}" y="{base + 14}" class="tick">{_month_label(month)}</text>')
        # When many, a first month of November or December is too near January's year.
        if month.endswith("-01") or (i == 0 and (not many or number <= 10)):
            parts.append(f'<text x="{x}" y="{base + 28}" class="tick">{month[:4]}</text>')
    parts.append("</svg>")
    return Markup(
        f'<div class="chart-frame">{"".join(axis)}<div class="chart-scroll">'
        f"{''.join(parts)}</div></div>"
    )


CELL = 11
CELL_GAP = 2
HEAT_LEVELS = 4
WEEKDAY_LABELS = {0: "一", 2: "三", 4: "五"}
HEAT_LEFT = 18  # room for weekday labels
HEAT_TOP = 14  # room for month labels


def heat_level(count: int, peak: int) -> int:
    """0 for an empty day, else 1..HEAT_LEVELS by the share of the busiest day."""
    if count <= 0 or peak <= 0:
        return 0
    return max(1, min(HEAT_LEVELS, -(-count * HEAT_LEVELS // peak)))


def year_heatmap(year: int, days: dict[dt.date, int], peak: int) -> Markup:
    """A calendar of ``year``: a column per week (Monday first), a cell per day shaded by
    its count; every cell links to its day, and only days with commentaries are in the
    keyboard's tab order."""
    first = dt.date(year, 1, 1)
    start = first - dt.timedelta(days=first.weekday())
    last = dt.date(year, 12, 31)
    weeks = (last - start).days // 7 + 1
    step = CELL + CELL_GAP
    width = HEAT_LEFT + weeks * step
    height = HEAT_TOP + 7 * step
    parts = [
        f'<svg class="heatmap" role="img" viewBox="0 0 {width} {height}" width="{width}"'
        f' height="{height}" aria-label="{year} 年每天的评论数">'
    ]
    for weekday, label in WEEKDAY_LABELS.items():
        y = HEAT_TOP + weekday * step + CELL - 2
        parts.append(f'<text x="0" y="{y}" class="tick">{label}</text>')
    day = first
    while day <= last:
        week = (day - start).days // 7
        x, y = HEAT_LEFT + week * step, HEAT_TOP + day.weekday() * step
        if day.day == 1:
            parts.append(f'<text x="{x}" y="{HEAT_TOP - 4}" class="tick">{day.month}月</text>')
        count = days.get(day, 0)
        level = heat_level(count, peak)
        tab = "" if count else ' tabindex="-1"'
        href = urls.timeline_day(day)
        parts.append(
            f'<a href="{href}"{tab}><rect x="{x}" y="{y}" width="{CELL}" height="{CELL}"'
            f' rx="2" class="heat l{level}"><title>{day.isoformat()}：{count} 篇</title>'
            "</rect></a>"
        )
        day += dt.timedelta(days=1)
    parts.append("</svg>")
    return Markup("".join(parts))
