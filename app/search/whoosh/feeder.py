"""Writing to the index: a faster segment writer, and a feeder that commits as it goes.

Whoosh writes a segment's postings at commit, looking up each posting's field length
in the segment's length column on disk; ``FastSegmentWriter`` reads those lengths into
memory once instead, and writes postings without zlib (CPU matters more than disk
here). ``Feeder`` commits a segment every ``SEGMENT_DOCS`` documents, so that writing
postings happens while the analysis pool is still busy rather than all at the end.
"""

from __future__ import annotations

from typing import Any

from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3Codec, _lenfield
from whoosh.index import FileIndex
from whoosh.util.numeric import byte_to_length
from whoosh.writing import NO_MERGE, SegmentWriter

SEGMENT_DOCS = 2000
WRITER_MB = 640


class _Lengths:
    """Field lengths of a segment being written, read once into lists."""

    def __init__(self, reader: Any, fieldnames: list[str]) -> None:
        self._lengths: dict[str, list[int]] = {}
        for name in fieldnames:
            if reader.has_column(_lenfield(name)):
                column = reader.column_reader(_lenfield(name), LENGTHS_COLUMN)
                self._lengths[name] = [byte_to_length(b) for b in column]

    def doc_field_length(self, docnum: int, fieldname: str, default: int = 0) -> int:
        lengths = self._lengths.get(fieldname)
        return lengths[docnum] if lengths is not None else default


class FastSegmentWriter(SegmentWriter):  # type: ignore[misc]
    def _flush_segment(self) -> None:
        self.perdocwriter.close()
        reader = self.per_document_reader() if self.codec.length_stats else None
        lengths = None
        if reader is not None:
            scorable = [name for name, field in self.schema.items() if field.scorable]
            lengths = _Lengths(reader, scorable)
        self.fieldwriter.add_postings(self.schema, lengths, self.pool.iter_postings())
        self.fieldwriter.close()
        if reader is not None:
            reader.close()


def open_writer(index: FileIndex) -> FastSegmentWriter:
    return FastSegmentWriter(index, limitmb=WRITER_MB, codec=W3Codec(compression=0))


class Feeder:
    """Adds, replaces and deletes documents, committing a segment now and then."""

    def __init__(self, index: FileIndex, segment_docs: int = SEGMENT_DOCS) -> None:
        self.index = index
        self.segment_docs = segment_docs
        self._writer: FastSegmentWriter | None = None
        self._pending = 0

    @property
    def writer(self) -> FastSegmentWriter:
        if self._writer is None:
            self._writer = open_writer(self.index)
        return self._writer

    def add(self, fields: dict[str, Any], *, replace: bool) -> None:
        if replace:
            self.writer.update_document(**fields)
        else:
            self.writer.add_document(**fields)
        self._pending += 1
        if self._pending >= self.segment_docs:
            # A segment of its own, not merged now: merging would rewrite it again.
            self.writer.commit(mergetype=NO_MERGE)
            self._writer, self._pending = None, 0

    def delete(self, doc_id: str) -> None:
        self.writer.delete_by_term("id", doc_id)

    def commit(self) -> None:
        """Commit what is left; small segments from earlier runs are merged here."""
        if self._writer is not None:
            self._writer.commit()
            self._writer = None

    def cancel(self) -> None:
        if self._writer is not None:
            self._writer.cancel()
            self._writer = None
