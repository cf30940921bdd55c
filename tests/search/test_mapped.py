"""Segment files are read in place from the memory map, exactly as Whoosh's own copy
would read them."""

from __future__ import annotations

import io
import pickle

import pytest
from whoosh.filedb import compound

from app.search.whoosh import store  # noqa: F401  (installs the mapped files)
from app.search.whoosh.mapped import MappedFile, _View

pytestmark = pytest.mark.whoosh

DATA = b"first line\nsecond\n" + pickle.dumps({"a": [1, 2, 3]}, protocol=-1) + b"\nend"


def test_compound_storage_uses_the_mapped_file() -> None:
    assert compound.BufferFile is MappedFile


def test_the_view_reads_like_bytesio() -> None:
    view, copy = _View(memoryview(DATA)), io.BytesIO(DATA)
    for step in (
        lambda f: f.readline(),
        lambda f: f.read(3),
        lambda f: f.readline(4),
        lambda f: f.readline(),
        lambda f: f.tell(),
        lambda f: f.seek(-3, 2),
        lambda f: f.read(),
        lambda f: f.read(5),
        lambda f: f.seek(0),
        lambda f: f.read(-1),
    ):
        assert step(view) == step(copy)
    view.seek(len(b"first line\nsecond\n"))
    assert pickle.load(view) == {"a": [1, 2, 3]}  # type: ignore[arg-type]
    view.seek(0)
    assert list(view) == list(io.BytesIO(DATA))
    target = bytearray(6)
    view.seek(6)
    assert (view.readinto(target), bytes(target)) == (6, b"line\ns")


def test_a_mapped_file_reads_numbers_from_the_buffer() -> None:
    f = MappedFile(memoryview(b"\x00\x00\x00\x07abc"), name="part")
    assert f.get_int(0) == 7
    assert f.read(4) == b"\x00\x00\x00\x07"
    assert f.get(4, 3) == b"abc"
