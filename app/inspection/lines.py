"""``archive inspect`` as lines of text for a terminal."""

from __future__ import annotations

from app.inspection.model import Inspection


def inspection_lines(report: Inspection) -> list[tuple[str, str | None]]:
    """``archive inspect`` as text: (line, style) pairs, a heading over each part."""
    meta = report.metadata
    lines: list[tuple[str, str | None]] = [(f"inspecting {report.input}", "bold"), ("", None)]

    def heading(title: str) -> None:
        lines.extend([("", None), (title, "bold")])

    def line(text: str) -> None:
        lines.append((text, None))

    place = f" (line {meta.title_line})" if meta.title_line is not None else ""
    line(f"title:   {meta.title}  [{meta.title_rule}{place}]")
    date = meta.date.isoformat() if meta.date is not None else "none"
    line(f"date:    {date} ({meta.date_precision})")
    for rule in meta.date_rules:
        found = rule.date.isoformat() if rule.date is not None else "nothing"
        mark = "  <- used" if rule.used else ""
        note = f" ({rule.note})" if rule.note else ""
        line(f"         {rule.rule}: {found} ({rule.precision}){note}{mark}")
    line(f"source:  {meta.source or 'none'}")
    line(f"author:  {meta.author or 'none'}")
    if meta.declared_tickers:
        line(f"tickers: {', '.join(meta.declared_tickers)}")
    for note in meta.notes:
        line(f"note:    {note}")
    heading("normalised text")
    lines.extend((f"  {text_line}", None) for text_line in report.text.split("\n"))
    heading("words (position: word [start:end]; sub-words under their word)")
    for word in report.words:
        lead = "      + " if word.subword else f"  {word.position:>4}: "
        line(f"{lead}{word.word} [{word.start}:{word.end}]")
    heading("candidate mentions (offsets into the normalised text)")
    for c in report.candidates:
        verdict = f"counted as {c.symbol} ({c.reason})" if c.counted else f"refused: {c.reason}"
        detail = f"; {c.detail}" if c.detail else ""
        options = f"; may mean {', '.join(c.options)}" if len(c.options) > 1 else ""
        market = f"; market {c.market}" if c.market else ""
        line(f"  [{c.start}:{c.end}] {c.text}  {c.evidence} -> {verdict}{detail}{options}{market}")
    if not report.candidates:
        line("  none")
    heading("mentions stored (offsets into the original text)")
    for m in report.mentions:
        learned = f", learned name {m.learned}" if m.learned else ""
        line(f"  {m.symbol}: {m.alias} [{m.start}:{m.end}], paragraph {m.paragraph}{learned}")
    if not report.mentions:
        line("  none")
    heading("query expansions (a search for the word also finds)")
    for e in report.expansions:
        also = []
        if e.synonyms:
            also.append(f"synonyms {', '.join(e.synonyms)}")
        if e.symbol is not None:
            also.append(f"{e.symbol}: listings {', '.join(e.listings)}; names {', '.join(e.names)}")
        line(f"  {e.word} -> {'; '.join(also)}")
    if not report.expansions:
        line("  none")
    return lines
