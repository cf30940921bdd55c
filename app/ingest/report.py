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
class IngestReport:
    files: list[FileResult] = field(default_factory=list)
    run_id: int | None = None
    indexed: int = 0
    index_rebuilt: bool = False
    index_note: str | None = None
    # Earlier runs found cut off (killed, crashed) when this one started.
    interrupted_runs: list[int] = field(default_factory=list)

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
        return 1 if self.counts[Outcome.FAILED] else 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "counts": self.counts,
            "index": {
                "written": self.indexed,
                "rebuilt": self.index_rebuilt,
                "note": self.index_note,
            },
            "interrupted_runs": self.interrupted_runs,
            "files": [
                {"path": r.path, "outcome": str(r.outcome), "reason": r.reason, "id": r.id}
                for r in self.files
            ],
        }

    def write_json(self, path: Path) -> None:
        path.write_text(json.dumps(self.as_dict(), ensure_ascii=False, indent=2) + "\n", "utf-8")
