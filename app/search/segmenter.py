"""The one jieba tokenizer of the process, with our user dictionary and cache location.

jieba's dictionary takes about a second to load, so it is loaded once (at start-up by
``configure``, or lazily on first use) and shared by the index and query analyzers.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from collections.abc import Iterable
from importlib import resources
from pathlib import Path

import jieba

from app.search import synonyms

_lock = threading.Lock()
_tokenizer: jieba.Tokenizer | None = None
_cache_dir: Path | None = None
_extra_words: tuple[str, ...] = ()

jieba.setLogLevel(logging.WARNING)


def finance_words() -> list[str]:
    text = resources.files("app.search").joinpath("finance_words.txt").read_text("utf-8")
    return [w.strip() for w in text.splitlines() if w.strip() and not w.startswith("#")]


def configure(cache_dir: Path | None = None, extra_words: Iterable[str] = ()) -> None:
    """Set where jieba keeps its cache and which extra words it knows. A loaded tokenizer
    is kept unless the words changed (the cache only speeds up loading)."""
    global _tokenizer, _cache_dir, _extra_words
    words = tuple(sorted({w.strip() for w in extra_words if w.strip()}))
    with _lock:
        _cache_dir = cache_dir
        if words != _extra_words:
            _extra_words, _tokenizer = words, None


def user_words() -> list[str]:
    """Our finance words, the regional synonyms and the configured extra words (the
    instrument names). Synonyms must each stay one word, or an expansion to 聯儲局
    could not match a text jieba cut into 联储/局. Latin words never reach jieba."""
    regional = {w for w in synonyms.table().words if not w.isascii()}
    return sorted(set(finance_words()) | regional | set(_extra_words))


def fingerprint() -> str:
    """Changes whenever the user dictionary changes, so a stale index is detected."""
    return hashlib.sha256("\n".join(user_words()).encode("utf-8")).hexdigest()[:16]


def get() -> jieba.Tokenizer:
    global _tokenizer
    tokenizer = _tokenizer
    if tokenizer is not None:
        return tokenizer
    with _lock:
        if _tokenizer is None:
            _tokenizer = _load()
        return _tokenizer


def _load() -> jieba.Tokenizer:
    tokenizer = jieba.Tokenizer()
    if _cache_dir is not None:
        _cache_dir.mkdir(parents=True, exist_ok=True)
        tokenizer.tmp_dir = str(_cache_dir)
        tokenizer.cache_file = "jieba.cache"
    tokenizer.initialize()
    for word in user_words():
        tokenizer.add_word(word)
    return tokenizer
