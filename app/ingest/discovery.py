"""Which files an ingest reads: the given files, and supported files under given folders."""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

SUPPORTED = frozenset({".txt", ".md", ".markdown", ".html", ".htm", ".jsonl"})

_KINDS = (
    (stat.S_ISFIFO, "a named pipe"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
)


@dataclass(frozen=True, slots=True)
class Found:
    path: Path
    problem: str | None = None  # why the path cannot be read, if it cannot


def discover(paths: list[Path]) -> Iterator[Found]:
    """Files in a stable order; folders are walked recursively (symlinked folders are
    followed once), hidden files and unsupported types inside folders are passed over.
    What cannot be read as a file (a symbolic link loop or one that leads nowhere, a
    named pipe, a device) is reported with the reason, and never opened."""
    seen: set[Path] = set()
    for given in paths:
        problem = _unreadable(given)
        if problem is not None:
            yield Found(given, problem)
        elif given.is_dir():
            yield from _walk(given, seen)
        elif given.suffix.lower() not in SUPPORTED:
            yield Found(given, f"unsupported file type {given.suffix or '(none)'}")
        elif _first_visit(given, seen):
            yield Found(given)


def _unreadable(path: Path) -> str | None:
    """Why ``path`` is neither a regular file nor a folder, or None when it is one."""
    try:
        str(path).encode("utf-8")
    except UnicodeEncodeError:
        return "file name is not valid UTF-8"
    try:
        # What the record is stored under: a link's target must be storable too.
        str(path.resolve()).encode("utf-8")
    except UnicodeEncodeError:
        return "links to a file whose name is not valid UTF-8"
    except (OSError, RuntimeError):
        pass  # a loop or a missing target, said below
    try:
        mode = path.stat().st_mode
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "symbolic link loop"
        if path.is_symlink():
            return f"symbolic link to a missing file ({os.readlink(path)})"
        if exc.errno == errno.ENOENT:
            return "no such file or folder"
        return f"cannot read file: {exc.strerror or exc}"
    for test, kind in _KINDS:
        if test(mode):
            return f"not a regular file ({kind})"
    return None


def _first_visit(path: Path, seen: set[Path]) -> bool:
    real = path.resolve()
    if real in seen:
        return False
    seen.add(real)
    return True


def _encloses(folder: Path, path: Path) -> bool:
    return folder == path or folder in path.parents


def _walk(folder: Path, seen: set[Path]) -> Iterator[Found]:
    visited_dirs: set[Path] = set()
    for root, dirs, files in os.walk(folder, followlinks=True):
        here = Path(root)
        real_root = here.resolve()
        if real_root in visited_dirs:
            dirs[:] = []
            if here.is_symlink() and _encloses(real_root, here.parent.resolve()):
                yield Found(here, f"symbolic link loop (leads back to {real_root})")
            continue
        visited_dirs.add(real_root)
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            path = here / name
            if name.startswith(".") or path.suffix.lower() not in SUPPORTED:
                continue
            problem = _unreadable(path)
            if problem is not None:
                yield Found(path, problem)
            elif _first_visit(path, seen):
                yield Found(path)
