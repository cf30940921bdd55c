"""What an archive's stored analysis (mentions and index words) was made with.

The basis is the text of every file analysis reads (the instrument lists, the reader's
``aliases.csv``, the stop lists, jieba's extra words, the synonym table) and one line
naming the analysis itself (the analyzer's and the mention rules' versions, jieba's and
OpenCC's, Unicode's). Ingest records it in ``analysis_source`` once its work is in the
database and the index; the next ingest compares it with the current basis
(``reanalysis``).
"""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import dataclass

import opencc
from sqlalchemy import delete
from sqlmodel import Session, select

from app.instruments import EXTRACTION_VERSION, Dictionary
from app.instruments.dictionary import SOURCE_NAMES, Sources
from app.models import AnalysisSource
from app.search import ANALYZER_VERSION, segmenter_base, vocabulary_texts

ANALYSIS = "analysis"


def analysis_line() -> str:
    """What changes every text's analysis when it changes."""
    return (
        f"analyzer {ANALYZER_VERSION}; mention rules {EXTRACTION_VERSION}; "
        f"segmenter {segmenter_base()}; OpenCC {opencc.__version__}; "
        f"Unicode {unicodedata.unidata_version}"
    )


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Basis:
    texts: dict[str, str]  # file name (or ANALYSIS) to its text

    def text(self, name: str) -> str:
        return self.texts.get(name, "")

    @property
    def analysis(self) -> str:
        return self.text(ANALYSIS)

    def dictionary_sources(self) -> Sources:
        return Sources({name: self.text(name) for name in SOURCE_NAMES})

    def differing(self, other: Basis) -> list[str]:
        """The names whose text differs between the two."""
        return sorted(
            n for n in self.texts.keys() | other.texts.keys() if self.text(n) != other.text(n)
        )


def current_basis(dictionary: Dictionary) -> Basis:
    """The basis this code makes with ``dictionary`` (the one analysis runs with)."""
    return Basis(
        {
            ANALYSIS: analysis_line(),
            **dictionary.sources.texts,
            **vocabulary_texts(),
        }
    )


def stored_basis(session: Session) -> Basis | None:
    """The basis recorded by the last ingest, or None when none was recorded."""
    rows = session.exec(select(AnalysisSource.name, AnalysisSource.text)).all()
    return Basis(dict(rows)) if rows else None


def record_basis(session: Session, basis: Basis) -> None:
    """Record ``basis`` as the one the archive's analysis now stands on (the caller
    commits)."""
    stored = {row.name: row for row in session.exec(select(AnalysisSource))}
    for name, text in basis.texts.items():
        digest = _digest(text)
        row = stored.pop(name, None)
        if row is None:
            session.add(AnalysisSource(name=name, digest=digest, text=text))
        elif row.digest != digest:
            row.digest, row.text = digest, text
            session.add(row)
    if stored:
        session.execute(delete(AnalysisSource).where(AnalysisSource.name.in_(stored)))  # type: ignore[attr-defined]
