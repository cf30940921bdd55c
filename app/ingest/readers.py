"""Read one input file into records: plain text, Markdown, HTML, or JSON Lines."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from bs4 import BeautifulSoup
from frontmatter.default_handlers import YAMLHandler

from app.text.decode import DecodeError, decode_bytes

# Bump when reading or cleaning changes, so unchanged files are processed again.
PIPELINE_VERSION = "1"
MAX_FILE_BYTES = 20 * 1024 * 1024
META_FIELDS = ("title", "date", "source", "author", "url", "tickers")

_DROP_TAGS = ("script", "style", "noscript", "template", "nav", "header", "footer", "aside", "form")
_BLOCK_TAGS = (
    "p",
    "div",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "br",
    "tr",
    "blockquote",
    "pre",
)


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


@dataclass(frozen=True, slots=True)
class Failure:
    label: str
    reason: str


def _fingerprint(data: bytes) -> str:
    return hashlib.sha256(PIPELINE_VERSION.encode() + b"\0" + data).hexdigest()


def read(path: Path) -> Iterator[Record | Failure]:
    label = str(path)
    try:
        if path.suffix.lower() == ".jsonl":
            yield from _read_jsonl(path)
            return
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            yield Failure(
                label,
                f"file too large ({size / 2**20:.1f} MiB, at most {MAX_FILE_BYTES // 2**20} MiB)",
            )
            return
        data = path.read_bytes()
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
            text, meta = _html(decoded.text)
        else:
            text, meta = _front_matter(decoded.text)
    except ValueError as exc:
        yield Failure(label, str(exc))
        return
    key = str(path.resolve())
    yield Record(key, path, label, _fingerprint(data), decoded.text, text, decoded.encoding, meta)


def _front_matter(text: str) -> tuple[str, dict[str, Any]]:
    if not text.startswith("---"):
        return text, {}
    handler = YAMLHandler()
    if not handler.detect(text):
        return text, {}
    header, content = handler.split(text)
    try:
        meta = yaml.safe_load(header) if header.strip() else {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        raise ValueError(f"front matter is not valid YAML{where}") from None
    if not isinstance(meta, dict):
        raise ValueError("front matter must be a mapping of fields")
    return content, {k: meta[k] for k in META_FIELDS if k in meta}


def _html(markup: str) -> tuple[str, dict[str, Any]]:
    soup = BeautifulSoup(markup, "lxml")
    meta: dict[str, Any] = {}
    heading = soup.find("h1")
    title_tag = soup.find("meta", attrs={"property": "og:title"})
    if heading and heading.get_text(strip=True):
        meta["title"] = heading.get_text(" ", strip=True)
    elif title_tag and title_tag.get("content"):
        meta["title"] = str(title_tag["content"]).strip()
    elif soup.title and soup.title.get_text(strip=True):
        meta["title"] = soup.title.get_text(" ", strip=True)
    for name in ("article:published_time", "date", "pubdate", "publishdate"):
        tag = soup.find("meta", attrs={"property": name}) or soup.find("meta", attrs={"name": name})
        if tag and tag.get("content"):
            meta["date"] = str(tag["content"]).strip()[:10]
            break
    author = soup.find("meta", attrs={"name": "author"})
    if author and author.get("content"):
        meta["author"] = str(author["content"]).strip()
    for tag in soup(_DROP_TAGS):
        tag.decompose()
    if heading:
        heading.decompose()
    root = soup.find("article") or soup.find("main") or soup.body or soup
    for tag in root.find_all(_BLOCK_TAGS):
        tag.insert_before("\n")
        tag.insert_after("\n")
    lines = [" ".join(line.split()) for line in root.get_text().split("\n")]
    text = "\n".join(line for line in lines if line)
    if not text.strip():
        raise ValueError("no text found in the HTML body")
    return text, meta


def _jsonl_key(path: Path, number: int, item: dict[str, Any]) -> str:
    url = item.get("url")
    suffix = url if isinstance(url, str) and url else f"L{number}"
    return f"{path.resolve()}#{suffix}"


def _jsonl_lines(path: Path) -> Iterator[tuple[int, bytes, Any]]:
    """``(line number, bytes, parsed value or the error)`` for each non-blank line."""
    with path.open("rb") as fh:
        for number, line in enumerate(fh, start=1):
            if not line.strip():
                continue
            try:
                yield number, line, json.loads(line)
            except (json.JSONDecodeError, UnicodeDecodeError) as exc:
                yield number, line, exc


def _read_jsonl(path: Path) -> Iterator[Record | Failure]:
    for number, line, item in _jsonl_lines(path):
        label = f"{path}#L{number}"
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
        meta = {k: item[k] for k in META_FIELDS if item.get(k) not in (None, "")}
        body = body.replace("\r\n", "\n").replace("\r", "\n")
        raw = line.decode("utf-8").rstrip("\n")
        key = _jsonl_key(path, number, item)
        yield Record(key, path, label, _fingerprint(line), raw, body, "utf-8", meta)


def current_fingerprints(path: Path) -> dict[str, str]:
    """Record key to fingerprint for what ``path`` holds now (empty when it is gone)."""
    try:
        if path.suffix.lower() != ".jsonl":
            return {str(path.resolve()): _fingerprint(path.read_bytes())}
        return {
            _jsonl_key(path, number, item): _fingerprint(line)
            for number, line, item in _jsonl_lines(path)
            if isinstance(item, dict)
        }
    except OSError:
        return {}
