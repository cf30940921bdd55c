"""Read Whoosh's memory-mapped segment files in place.

Whoosh maps each compound segment file and hands out its parts as ``BufferFile``s,
whose constructor wraps the part in ``BytesIO``: a full copy. Opening a reader copied
every postings file of every segment into memory (seconds and hundreds of MB at
20,000 commentaries). ``MappedFile`` keeps the memoryview and reads slices from it;
``install`` makes the compound storage use it. Importing ``app.search.whoosh.store`` installs it.
"""

from __future__ import annotations

from typing import Any

from whoosh.filedb import compound
from whoosh.filedb.structfile import BufferFile

_LINE_CHUNK = 256


class _View:
    """The file-object side of a memoryview: read, readline, readinto, seek, tell."""

    def __init__(self, buf: memoryview) -> None:
        self._buf = buf
        self._pos = 0

    def read(self, size: int | None = -1) -> bytes:
        start = self._pos
        end = len(self._buf) if size is None or size < 0 else min(len(self._buf), start + size)
        self._pos = end
        return self._buf[start:end].tobytes()

    def readinto(self, target: Any) -> int:
        out = memoryview(target).cast("B")
        data = self.read(len(out))
        out[: len(data)] = data
        return len(data)

    def readline(self, size: int | None = -1) -> bytes:
        whole = len(self._buf)
        limit = whole if size is None or size < 0 else min(whole, self._pos + size)
        start = end = self._pos
        while end < limit:
            chunk = self._buf[end : min(limit, end + _LINE_CHUNK)].tobytes()
            newline = chunk.find(b"\n")
            if newline != -1:
                end += newline + 1
                break
            end += len(chunk)
        self._pos = end
        return self._buf[start:end].tobytes()

    def seek(self, offset: int, whence: int = 0) -> int:
        base = {0: 0, 1: self._pos, 2: len(self._buf)}[whence]
        self._pos = max(0, base + offset)
        return self._pos

    def tell(self) -> int:
        return self._pos

    def close(self) -> None:
        self._buf = memoryview(b"")

    def __iter__(self) -> Any:
        while line := self.readline():
            yield line


class MappedFile(BufferFile):  # type: ignore[misc]
    def __init__(self, buf: Any, name: str | None = None, onclose: Any = None) -> None:
        super().__init__(b"", name=name, onclose=onclose)
        self._buf = buf
        self.file = _View(memoryview(buf))


def install() -> None:
    compound.BufferFile = MappedFile
