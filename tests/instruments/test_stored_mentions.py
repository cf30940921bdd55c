"""Mentions and instruments as ingest stores them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from sqlmodel import Session, col, func, select

from app.config import Settings
from app.db import make_engine
from app.instruments import load
from app.models import Instrument, Mention
from tests.conftest import IngestFn

Matched = Callable[[str], set[int]]


def _mentions(settings: Settings, commentary_id: int) -> list[tuple[str, str, int, int]]:
    engine = make_engine(settings)
    try:
        with Session(engine) as session:
            rows = session.exec(
                select(Mention)
                .where(Mention.commentary_id == commentary_id)
                .order_by(col(Mention.start))
            )
            return [(m.symbol, m.alias, m.start, m.paragraph) for m in rows]
    finally:
        engine.dispose()


def test_reingesting_a_changed_file_replaces_its_mentions(
    docs_dir: Path, run_ingest: IngestFn, settings: Settings, matched_ids: Matched
) -> None:
    doc = docs_dir / "note.txt"
    doc.write_text("英伟达和AMD同步走强。\n\n超微（AMD）领涨。", "utf-8")
    (first,) = run_ingest(doc).files
    assert first.id is not None
    assert _mentions(settings, first.id) == [
        ("NVDA", "英伟达", 0, 0),
        ("AMD", "AMD", 4, 0),
        ("AMD", "超微（AMD）", 14, 1),
    ]
    doc.write_text("英伟达和博通同步走强。", "utf-8")
    (second,) = run_ingest(doc).files
    assert (second.outcome, second.id) == ("updated", first.id)
    assert _mentions(settings, first.id) == [("NVDA", "英伟达", 0, 0), ("AVGO", "博通", 4, 0)]
    assert matched_ids("ticker:AVGO") == {first.id}
    assert matched_ids("ticker:AMD") == set()


def test_instrument_table_matches_the_dictionary(
    docs_dir: Path, run_ingest: IngestFn, settings: Settings
) -> None:
    (docs_dir / "a.txt").write_text("英伟达。", "utf-8")
    run_ingest(docs_dir)
    engine = make_engine(settings)
    try:
        with Session(engine) as session:
            count = session.exec(select(func.count()).select_from(Instrument)).one()
            nvda = session.exec(select(Instrument).where(Instrument.symbol == "NVDA")).one()
    finally:
        engine.dispose()
    assert count == len(load().instruments)
    assert (nvda.kind, nvda.exchange, nvda.name, nvda.name_zh) == (
        "stock",
        "NASDAQ",
        "Nvidia",
        "英伟达",
    )
    assert nvda.aliases == '["英伟达", "Nvidia", "NVIDIA", "英偉達", "輝達", "辉达"]'


def test_a_changed_issuer_carries_over_to_mentions_not_read_again(
    docs_dir: Path, run_ingest: IngestFn, settings: Settings
) -> None:
    # As migration 0003 leaves an archive: each mention's issuer is its own symbol.
    old = docs_dir / "old.txt"
    old.write_text("台股加權指數收漲，台積電漲2%。", "utf-8")
    run_ingest(old)
    engine = make_engine(settings)
    try:
        with Session(engine) as session:
            for table in (Mention, Instrument):
                for row in session.exec(select(table)):
                    row.issuer = row.symbol
                    session.add(row)
            session.commit()
        new = docs_dir / "new.txt"
        new.write_text("美股方面，台积电ADR涨3%。", "utf-8")
        run_ingest(new)
        with Session(engine) as session:
            rows = session.exec(select(Mention.symbol, Mention.issuer).order_by(col(Mention.id)))
            assert list(rows) == [("TWII", "TWII"), ("2330.TW", "TSMC"), ("TSM", "TSMC")]
    finally:
        engine.dispose()
