"""Small charts drawn on the server as SVG, readable without JavaScript."""

from __future__ import annotations

from markupsafe import Markup, escape

GAP = 4
HEIGHT = 120  # the tallest bar
TOP = 16  # room for the count above a bar
LABEL_SPACE = 24  # room for the month labels below
LABEL_WIDTH = 48  # a "YYYY-MM" label at the chart's font size
MANY_MONTHS = 24


def month_range(first: str, last: str) -> list[str]:
    """Every ``YYYY-MM`` from ``first`` to ``last`` inclusive."""
    year, month = int(first[:4]), int(first[5:7])
    months = []
    while f"{year:04d}-{month:02d}" <= last:
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def monthly_bars(monthly: list[tuple[str, int]], label: str) -> Markup:
    """A bar per month from the first to the last month with data, empty months included.
    Each bar carries its count (as text above it, or as a tooltip when months are many)."""
    if not monthly:
        return Markup("")
    counts = dict(monthly)
    months = month_range(monthly[0][0], monthly[-1][0])
    many = len(months) > MANY_MONTHS
    bar_width = 12 if many else 28
    peak = max(counts.values())
    width = len(months) * (bar_width + GAP) + GAP + LABEL_WIDTH
    height = TOP + HEIGHT + LABEL_SPACE
    parts = [
        f'<svg class="chart" role="img" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" aria-label="{escape(label)}">'
    ]
    next_label = 0  # month labels must not overlap
    for i, month in enumerate(months):
        count = counts.get(month, 0)
        bar = round(HEIGHT * count / peak) if count else 0
        x = GAP + i * (bar_width + GAP)
        parts.append(
            f"<g><title>{month}: {count}</title>"
            f'<rect x="{x}" y="{TOP + HEIGHT - max(bar, 1)}" width="{bar_width}"'
            f' height="{max(bar, 1)}" class="{"bar" if count else "bar empty"}"/></g>'
        )
        if count and not many:
            parts.append(
                f'<text x="{x + bar_width / 2}" y="{TOP + HEIGHT - bar - 4}"'
                f' class="count" text-anchor="middle">{count}</text>'
            )
        labelled = i == 0 or month.endswith("-01") or i == len(months) - 1
        if labelled and x >= next_label:
            parts.append(f'<text x="{x}" y="{TOP + HEIGHT + 16}" class="tick">{month}</text>')
            next_label = x + LABEL_WIDTH
    parts.append("</svg>")
    return Markup("".join(parts))
