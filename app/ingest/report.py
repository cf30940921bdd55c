"""What an ingest did with each file, as counts, a table and JSON."""

from __future__ import annotations

import contextlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.models import Outcome
from app.text.unsafe import BIDI_CONTROLS, Removed, make_safe

COUNTED = (
    Outcome.ADDED,
    Outcome.UPDATED,
    Outcome.UNCHANGED,
    Outcome.DUPLICATE,
    Outcome.FAILED,
    Outcome.PRUNED,
)


@dataclass(frozen=True, slots=True)
class FileResult:
    path: str
    outcome: Outcome
    reason: str | None = None
    id: int | None = None

    def with_notes(self, notes: tuple[str, ...]) -> FileResult:
        """This result with what cleaning changed added to its reason, when stored."""
        if not notes or self.outcome not in (Outcome.ADDED, Outcome.UPDATED):
            return self
        reason = "; ".join((self.reason, *notes) if self.reason else notes)
        return FileResult(self.path, self.outcome, reason, self.id)


_VISIBLE_BIDI = {ord(ch): f"\\u{ord(ch):04x}" for ch in BIDI_CONTROLS}


def printable(text: str) -> str:
    """``text`` as it can be stored and shown: a file name's undecodable bytes and its
    bidirectional controls as ``\\xNN`` and ``\\uNNNN`` escapes, never NUL or a lone
    surrogate."""
    with contextlib.suppress(UnicodeEncodeError):
        text = text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return make_safe(text.translate(_VISIBLE_BIDI), Removed())


@dataclass(slots=True)
class SymbolChange:
    """Of one symbol, what a re-analysis changed."""

    added: int = 0  # mentions
    removed: int = 0
    commentaries: int = 0  # whose mentions of it changed


@dataclass(slots=True)
class Reanalysis:
    """What re-analysing stored commentaries after a change of the analysis did."""

    # Why every commentary was re-analysed; None when only the touched ones were.
    everything: str | None
    changes: list[str]  # what changed in the dictionary, jieba's words or the synonyms
    looked_at: int = 0  # commentaries scanned for the changed entries
    ids: list[int] = field(default_factory=list)  # the commentaries re-analysed
    reanalysed: int = 0
    changed: int = 0  # commentaries whose mentions changed
    failed: list[tuple[int, str]] = field(default_factory=list)  # commentary id, why
    by_symbol: dict[str, SymbolChange] = field(default_factory=dict)

    def count(self, ident: int, added: dict[str, int], removed: dict[str, int]) -> None:
        """One commentary re-analysed, with the mentions it gained and lost."""
        self.reanalysed += 1
        if added or removed:
            self.changed += 1
        for symbol in added.keys() | removed.keys():
            change = self.by_symbol.setdefault(symbol, SymbolChange())
            change.added += added.get(symbol, 0)
            change.removed += removed.get(symbol, 0)
            change.commentaries += 1

    def as_dict(self) -> dict[str, Any]:
        return {
            "everything": self.everything,
            "changes": self.changes,
            "looked_at": self.looked_at,
            "reanalysed": self.reanalysed,
            "ids": self.ids,
            "changed": self.changed,
            "failed": [{"id": ident, "reason": why} for ident, why in self.failed],
            "by_symbol": {
                symbol: {"added": c.added, "removed": c.removed, "commentaries": c.commentaries}
                for symbol, c in sorted(self.by_symbol.items())
            },
        }


@dataclass(slots=True)
class IngestReport:
    files: list[FileResult] = field(default_factory=list)
    run_id: int | None = None
    indexed: int = 0
    index_rebuilt: bool = False
    index_note: str | None = None
    # Earlier runs found cut off (killed, crashed) when this one started.
    interrupted_runs: list[int] = field(default_factory=list)
    # Set when a change of the dictionary or the analysis re-analysed stored commentaries.
    reanalysis: Reanalysis | None = None

    def add(self, result: FileResult) -> None:
        reason = printable(result.reason) if result.reason is not None else None
        self.files.append(FileResult(printable(result.path), result.outcome, reason, result.id))

    @property
    def counts(self) -> dict[str, int]:
        counts = {str(o): 0 for o in COUNTED}
        for result in self.files:
            counts[str(result.outcome)] += 1
        return counts

    @property
    def exit_code(self) -> int:
        failed = self.reanalysis is not None and self.reanalysis.failed
        return 1 if self.counts[Outcome.FAILED] or failed else 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "counts": self.counts,
            "index": {
                "written": self.indexed,
                "rebuilt": self.index_rebuilt,
                "note": self.index_note,
            },
            "interrupted_runs": self.interrupted_runs,
            "reanalysis": self.reanalysis.as_dict() if self.reanalysis is not None else None,
            "files": [
                {"path": r.path, "outcome": str(r.outcome), "reason": r.reason, "id": r.id}
                for r in self.files
            ],
        }

    def write_json(self, path: Path) -> None:
        path.write_text(json.dumps(self.as_dict(), ensure_ascii=False, indent=2) + "\n", "utf-8")
