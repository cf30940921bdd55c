"""Turn the bytes of a file into text: UTF-8 (with or without BOM), GB18030/GBK or Big5."""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from charset_normalizer import from_bytes

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig", "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32", "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32", "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16", "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16", "utf-16"),
)

_MAGIC = (
    (b"PK\x03\x04", "zip archive"),
    (b"\x1f\x8b", "gzip archive"),
    (b"BZh", "bzip2 archive"),
    (b"\xfd7zXZ", "xz archive"),
    (b"%PDF", "PDF document"),
    (b"\x89PNG", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF8", "GIF image"),
    (b"\x7fELF", "executable"),
    (b"SQLite format 3", "SQLite database"),
)

# Python codec used for each legacy encoding we report; cp950 is Big5 as Windows writes it.
_LEGACY = {"gb18030": "gb18030", "big5": "cp950"}

# Bytes that are not valid UTF-8 are still read as UTF-8 with the broken sequences
# replaced when its valid multi-byte characters outnumber them this many times (in GBK
# text fewer than one character in ten happens to form valid UTF-8), or, when no
# legacy encoding fits either, when they are at most this share of the bytes.
_MIN_VALID_PER_BROKEN = 20
_MAX_REPLACED_SHARE = 0.001
# A few stray NUL bytes in a text are dropped; past this share the file is binary.
_MAX_NUL_SHARE = 0.01
_MAX_CONTROL_SHARE = 0.01
_ALLOWED_CONTROLS = frozenset("\t\n\r\f\v\x1b")
_CONTROL = re.compile("[\x00-\x08\x0e-\x1a\x1c-\x1f]")


class DecodeError(ValueError):
    """The bytes are not text this archive can read; the message says why."""


@dataclass(frozen=True, slots=True)
class Decoded:
    text: str
    encoding: str
    notes: tuple[str, ...] = ()  # what decoding had to change, for the ingest report


def _plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def decode_bytes(data: bytes) -> Decoded:
    """Decode ``data`` and normalise line ends to ``\\n``; raise DecodeError with a reason."""
    if not data.strip():
        raise DecodeError("empty file")
    for bom, codec, name in _BOMS:
        if data.startswith(bom):
            try:
                return _finish(data.decode(codec), name)
            except UnicodeDecodeError as exc:
                raise DecodeError(f"has a {name} byte-order mark but is not {name}") from exc
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            raise DecodeError(f"binary file ({kind})")
    nul = data.count(b"\x00")
    if not nul:
        return _decode_text(data)
    if nul > len(data) * _MAX_NUL_SHARE:
        raise DecodeError("binary file (contains NUL bytes)")
    try:
        decoded = _decode_text(data.replace(b"\x00", b""))
    except DecodeError:
        raise DecodeError("binary file (contains NUL bytes)") from None
    note = _plural(nul, "NUL byte removed", "NUL bytes removed")
    return Decoded(decoded.text, decoded.encoding, (note, *decoded.notes))


def _decode_text(data: bytes) -> Decoded:
    if not data.strip():
        raise DecodeError("empty file")
    try:
        return _finish(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    lenient = data.decode("utf-8", errors="replace")
    broken = lenient.count("\ufffd") - data.count("\ufffd".encode())
    few = broken <= max(1, int(len(data) * _MAX_REPLACED_SHARE))
    multibyte = len(lenient) - len(lenient.encode("ascii", "ignore")) - lenient.count("\ufffd")
    if multibyte >= broken * _MIN_VALID_PER_BROKEN:
        return _damaged_utf8(lenient, broken)
    legacy = _decode_legacy(data)
    if legacy is not None:
        return legacy
    if few:
        return _damaged_utf8(lenient, broken)
    raise DecodeError("undecodable: not valid UTF-8, GB18030/GBK or Big5")


def _damaged_utf8(lenient: str, broken: int) -> Decoded:
    note = _plural(
        broken, "invalid UTF-8 byte sequence replaced", "invalid UTF-8 byte sequences replaced"
    )
    return _finish(lenient, "utf-8", (note,))


def _decode_legacy(data: bytes) -> Decoded | None:
    decoded: dict[str, str] = {}
    for name, codec in _LEGACY.items():
        try:
            decoded[name] = data.decode(codec)
        except UnicodeDecodeError:
            continue
    if not decoded:
        return None
    if len(decoded) == 1:
        name, text = next(iter(decoded.items()))
        return _finish(text, name)
    # Big5 byte pairs are nearly always valid GBK too; let the detector judge coherence.
    best = from_bytes(data, cp_isolation=list(_LEGACY)).best()
    name = "big5" if best is not None and best.encoding in {"big5", "cp950"} else "gb18030"
    return _finish(decoded[name], name)


def _finish(text: str, encoding: str, notes: tuple[str, ...] = ()) -> Decoded:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    controls = (
        sum(1 for ch in text if ch < " " and ch not in _ALLOWED_CONTROLS)
        if _CONTROL.search(text) is not None
        else 0
    )
    if controls > len(text) * _MAX_CONTROL_SHARE:
        raise DecodeError("binary file (too many control characters)")
    return Decoded(text=text, encoding=encoding, notes=notes)
