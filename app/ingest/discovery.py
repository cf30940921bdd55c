"""Which files an ingest reads: the given files, and supported files under given folders."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

SUPPORTED = frozenset({".txt", ".md", ".markdown", ".html", ".htm", ".jsonl"})


@dataclass(frozen=True, slots=True)
class Found:
    path: Path
    problem: str | None = None  # why the path cannot be read, if it cannot


def discover(paths: list[Path]) -> Iterator[Found]:
    """Files in a stable order; folders are walked recursively (symlinked folders are
    followed once), hidden files and unsupported types inside folders are passed over."""
    seen: set[Path] = set()
    for given in paths:
        if not given.exists():
            yield Found(given, "no such file or folder")
        elif given.is_dir():
            yield from _walk(given, seen)
        elif given.suffix.lower() not in SUPPORTED:
            yield Found(given, f"unsupported file type {given.suffix or '(none)'}")
        elif _first_visit(given, seen):
            yield Found(given)


def _first_visit(path: Path, seen: set[Path]) -> bool:
    real = path.resolve()
    if real in seen:
        return False
    seen.add(real)
    return True


def _walk(folder: Path, seen: set[Path]) -> Iterator[Found]:
    visited_dirs: set[Path] = set()
    for root, dirs, files in os.walk(folder, followlinks=True):
        real_root = Path(root).resolve()
        if real_root in visited_dirs:
            dirs[:] = []
            continue
        visited_dirs.add(real_root)
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            path = Path(root) / name
            if name.startswith(".") or path.suffix.lower() not in SUPPORTED:
                continue
            if _first_visit(path, seen):
                yield Found(path)
