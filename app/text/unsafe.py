"""Characters no stored text may hold, and a tally of what was taken out.

NUL cannot be stored in a PostgreSQL text column; an unpaired surrogate (a JSON
``"\\ud800"`` escape, a YAML one) cannot be encoded as UTF-8 by any database driver; and
bidirectional controls (right-to-left override, isolates, marks) would let a file
reorder how its title, snippets and the page around them read.
"""

from __future__ import annotations

import re
from collections import Counter

BIDI_CONTROLS = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_REMOVE = dict.fromkeys(map(ord, "\x00" + BIDI_CONTROLS))
_SURROGATE = re.compile("[\ud800-\udfff]")
_QUICK = re.compile(f"[\x00{BIDI_CONTROLS}\ud800-\udfff]")

NUL = "NUL character"
SURROGATE = "unpaired surrogate"
BIDI = "bidirectional control character"


class Removed(Counter[str]):
    """How many unsafe characters of each kind were taken out, across several texts."""

    def notes(self) -> list[str]:
        return [
            f"{count} {kind}{'' if count == 1 else 's'} {verb}"
            for kind, verb in ((NUL, "removed"), (SURROGATE, "replaced"), (BIDI, "removed"))
            if (count := self[kind])
        ]


def make_safe(text: str, removed: Removed) -> str:
    """``text`` without NUL and bidirectional controls, unpaired surrogates replaced by
    U+FFFD; each change is counted in ``removed``."""
    if _QUICK.search(text) is None:
        return text
    text, surrogates = _SURROGATE.subn("\ufffd", text)
    nul = text.count("\x00")
    kept = text.translate(_REMOVE)
    removed[SURROGATE] += surrogates
    removed[NUL] += nul
    removed[BIDI] += len(text) - len(kept) - nul
    return kept
