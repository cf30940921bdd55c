"""Read one input file into records: plain text, Markdown, HTML, or JSON Lines."""

from __future__ import annotations

import hashlib
import json
import os
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from frontmatter.default_handlers import YAMLHandler

from app.ingest.html_text import html_text
from app.ingest.limits import MB, Limits
from app.text.decode import DecodeError, decode_bytes
from app.text.unsafe import Removed, make_safe

# Bump when reading or cleaning changes, so unchanged files are processed again.
PIPELINE_VERSION = "3"
META_FIELDS = ("title", "date", "source", "author", "url", "tickers")
MAX_FRONT_MATTER_CHARS = 65_536
_CHUNK = MB  # read at a time where a whole file or line need not be held


@dataclass(frozen=True, slots=True)
class Record:
    key: str  # unique origin: the path, or "path#L<n>" / "path#<url>" for a JSONL line
    path: Path
    label: str  # how reports name it
    fingerprint: str
    raw: str  # the input as decoded, kept so the original stays recoverable
    text: str  # the commentary text to clean
    encoding: str
    meta: dict[str, Any] = field(default_factory=dict)
    notes: tuple[str, ...] = ()  # what reading had to change, for the ingest report


@dataclass(frozen=True, slots=True)
class Failure:
    label: str
    reason: str


class _AliasFound(ValueError):
    pass


class _NoAliases(yaml.SafeLoader):
    """YAML without aliases, whose expansion is unbounded (a billion laughs in a few
    lines), and with timestamps left as text so our own date rules judge them."""

    yaml_implicit_resolvers = {  # noqa: RUF012 (read by PyYAML as a class table)
        first: [(tag, rule) for tag, rule in rules if tag != "tag:yaml.org,2002:timestamp"]
        for first, rules in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            raise _AliasFound("front matter uses YAML aliases (*name), which are not accepted")
        return super().compose_node(parent, index)


def _fingerprint_of(chunks: Iterable[bytes]) -> str:
    """A hash of input bytes, tied to this pipeline version."""
    digest = hashlib.sha256(PIPELINE_VERSION.encode() + b"\0")
    for chunk in chunks:
        digest.update(chunk)
    return digest.hexdigest()


def _fingerprint(data: bytes) -> str:
    return _fingerprint_of((data,))


def _file_fingerprint(path: Path) -> str:
    """The fingerprint of a file's bytes, read a chunk at a time."""
    with path.open("rb") as fh:
        return _fingerprint_of(iter(lambda: fh.read(_CHUNK), b""))


def read(path: Path, limits: Limits | None = None) -> Iterator[Record | Failure]:
    limits = limits or Limits()
    label = str(path)
    try:
        if path.suffix.lower() == ".jsonl":
            yield from _read_jsonl(path, limits)
            return
        data = _read_bounded(path, limits)
        if isinstance(data, str):
            yield Failure(label, data)
            return
    except OSError as exc:
        yield Failure(label, f"cannot read file: {exc.strerror or exc}")
        return
    try:
        decoded = decode_bytes(data)
    except DecodeError as exc:
        yield Failure(label, str(exc))
        return
    suffix = path.suffix.lower()
    try:
        if suffix in {".html", ".htm"}:
            text, meta = html_text(decoded.text)
        else:
            text, meta = front_matter(decoded.text)
    except ValueError as exc:
        yield Failure(label, str(exc))
        return
    too_long = limits.too_long(len(text))
    if too_long:
        yield Failure(label, too_long)
        return
    key = str(path.resolve())
    yield Record(
        key,
        path,
        label,
        _fingerprint(data),
        decoded.text,
        text,
        decoded.encoding,
        meta,
        decoded.notes,
    )


def front_matter(text: str) -> tuple[str, dict[str, Any]]:
    if not text.startswith("---"):
        return text, {}
    handler = YAMLHandler()
    if not handler.detect(text):
        return text, {}
    header, content = handler.split(text)
    size = len(header.strip())
    if size > MAX_FRONT_MATTER_CHARS:
        raise ValueError(
            f"front matter has {size:,} characters, more than the {MAX_FRONT_MATTER_CHARS:,} limit"
        )
    try:
        meta = yaml.load(header, Loader=_NoAliases) if header.strip() else {}
    except _AliasFound:
        raise
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        raise ValueError(f"front matter is not valid YAML{where}") from None
    except ValueError as exc:
        raise ValueError(f"front matter has a value that cannot be read: {exc}") from None
    except RecursionError:
        raise ValueError("front matter is nested too deeply") from None
    if not isinstance(meta, dict):
        raise ValueError("front matter must be a mapping of fields")
    return content, {k: meta[k] for k in META_FIELDS if k in meta}


MAX_KEY_URL = 1000  # a longer url does not name its record (the key column holds 2,000)


def _jsonl_key(path: Path, number: int, item: dict[str, Any]) -> str:
    """A line's record key: its url, which survives lines moving, when it can be stored
    as it is; else its line number."""
    url = item.get("url")
    usable = (
        isinstance(url, str) and 0 < len(url) <= MAX_KEY_URL and make_safe(url, Removed()) == url
    )
    return f"{path.resolve()}#{url if usable else f'L{number}'}"


class _LineTooLarge(Exception):
    pass


def _lines(fh: Any, limit: int) -> Iterator[tuple[int, bytes | int]]:
    """``(line number, bytes)`` for each line, or ``(line number, size)`` for a line
    longer than ``limit`` bytes, which is passed over without being held."""
    number = 0
    while line := fh.readline(limit + 1):
        number += 1
        if len(line) <= limit or line.endswith(b"\n"):
            yield number, line
            continue
        size = len(line)
        while not line.endswith(b"\n") and (line := fh.readline(_CHUNK)):
            size += len(line)
        yield number, size - line.endswith(b"\n")


def _jsonl_lines(path: Path, limits: Limits) -> Iterator[tuple[int, bytes, Any]]:
    """``(line number, bytes, parsed value or the error)`` for each non-blank line."""
    with path.open("rb") as fh:
        for number, line in _lines(fh, limits.file_bytes):
            if isinstance(line, int):
                yield number, b"", _LineTooLarge(limits.too_large("line", line))
                continue
            if not line.strip():
                continue
            try:
                # Decoded first: json.loads on bytes lets UTF-8-encoded surrogates through.
                yield number, line, json.loads(line.decode("utf-8"))
            except (json.JSONDecodeError, UnicodeDecodeError) as exc:
                yield number, line, exc
            except RecursionError:
                yield number, line, ValueError("nested too deeply")


def count_records(path: Path, limits: Limits | None = None) -> int:
    """How many records ``path`` holds (non-blank lines for JSON Lines), never holding
    more than a limit's worth of it in memory."""
    if path.suffix.lower() != ".jsonl":
        return 1
    limit = (limits or Limits()).file_bytes
    try:
        with path.open("rb") as fh:
            lines = _lines(fh, limit)
            return sum(1 for _, line in lines if not isinstance(line, bytes) or line.strip())
    except OSError:
        return 1


def _read_jsonl(path: Path, limits: Limits) -> Iterator[Record | Failure]:
    for number, line, item in _jsonl_lines(path, limits):
        label = f"{path}#L{number}"
        if isinstance(item, _LineTooLarge):
            yield Failure(label, str(item))
            continue
        if isinstance(item, Exception):
            yield Failure(label, f"not valid JSON: {item}")
            continue
        if not isinstance(item, dict):
            yield Failure(label, "a line must be a JSON object")
            continue
        body = item.get("body")
        if not isinstance(body, str) or not body.strip():
            yield Failure(label, 'missing "body" text')
            continue
        too_long = limits.too_long(len(body))
        if too_long:
            yield Failure(label, too_long)
            continue
        meta = {k: item[k] for k in META_FIELDS if item.get(k) not in (None, "")}
        body = body.replace("\r\n", "\n").replace("\r", "\n")
        raw = line.decode("utf-8").rstrip("\n")
        key = _jsonl_key(path, number, item)
        yield Record(key, path, label, _fingerprint(line), raw, body, "utf-8", meta)


def _read_bounded(path: Path, limits: Limits) -> bytes | str:
    """The bytes of a file, or why it is too large; never more than the limit and one
    byte are read, even when the file grows meanwhile."""
    with path.open("rb") as fh:
        size = os.fstat(fh.fileno()).st_size
        data = b"" if size > limits.file_bytes else fh.read(limits.file_bytes + 1)
    too_large = limits.too_large("file", max(size, len(data)))
    return data if too_large is None else too_large


def current_fingerprints(path: Path, limits: Limits) -> dict[str, str]:
    """Record key to fingerprint for what ``path`` holds now (empty when it is gone, or
    is no longer a regular file: opening a named pipe would wait for a writer)."""
    try:
        if not stat.S_ISREG(path.stat().st_mode):
            return {}
        if path.suffix.lower() != ".jsonl":
            return {str(path.resolve()): _file_fingerprint(path)}
        return {
            _jsonl_key(path, number, item): _fingerprint(line)
            for number, line, item in _jsonl_lines(path, limits)
            if isinstance(item, dict)
        }
    except OSError:
        return {}
