"""How much one input may hold before an ingest refuses it, and how refusals say so.

The size of a file (or of a JSON Lines line) is checked before it is read, so memory
stays bounded whatever lies on disk; the text of one commentary is bounded because
segmenting it costs time and memory in proportion to its length.
"""

from __future__ import annotations

from dataclasses import dataclass

from app.config import Settings

MB = 1024 * 1024


@dataclass(frozen=True, slots=True)
class Limits:
    file_bytes: int = 20 * MB
    text_chars: int = 200_000

    @classmethod
    def from_settings(cls, settings: Settings) -> Limits:
        return cls(int(settings.max_file_mb * MB), settings.max_text_chars)

    def too_large(self, what: str, size: int) -> str | None:
        """Why ``size`` bytes of ``what`` are refused, or None when they fit."""
        if size <= self.file_bytes:
            return None
        return f"{what} is {size / MB:.1f} MB, larger than the {self.file_bytes / MB:g} MB limit"

    def too_long(self, chars: int) -> str | None:
        """Why a text of ``chars`` characters is refused, or None when it fits."""
        if chars <= self.text_chars:
            return None
        return f"text has {chars:,} characters, more than the {self.text_chars:,} limit"
