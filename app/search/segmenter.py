"""The one jieba tokenizer of the process, with our user dictionary and cache location.

jieba's dictionary takes about a second to load, so it is loaded once (at start-up by
``configure``, or lazily on first use) and shared by the index and query analyzers.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from collections.abc import Iterable, Mapping
from importlib import resources
from pathlib import Path

import jieba

from app.search import synonyms

_lock = threading.Lock()
_tokenizer: jieba.Tokenizer | None = None
_cache_dir: Path | None = None
_extra_words: tuple[str, ...] = ()
_loaded_words: list[str] = []  # the user words the loaded tokenizer was given

jieba.setLogLevel(logging.WARNING)


FINANCE_WORDS = "finance_words.txt"


def finance_words_text() -> str:
    return resources.files("app.search").joinpath(FINANCE_WORDS).read_text("utf-8")


def finance_words(text: str | None = None) -> list[str]:
    """The words of ``finance_words.txt`` (or of ``text``, a version of it)."""
    text = finance_words_text() if text is None else text
    return [w.strip() for w in text.splitlines() if w.strip() and not w.startswith("#")]


def configure(cache_dir: Path | None = None, extra_words: Iterable[str] = ()) -> None:
    """Set where jieba keeps its cache and which extra words it knows. A loaded tokenizer
    is kept unless its words changed (the cache only speeds up loading)."""
    global _tokenizer, _cache_dir, _extra_words, _loaded_words
    words = tuple(sorted({w.strip() for w in extra_words if w.strip()}))
    with _lock:
        _cache_dir = cache_dir
        _extra_words = words
        if _tokenizer is not None and user_words() != _loaded_words:
            _tokenizer = None


def user_words_of(
    finance: Iterable[str], synonym_words: Iterable[str], extra: Iterable[str]
) -> list[str]:
    """The words jieba is given: finance words, the non-Latin synonym words and the extra
    words (instrument names). Synonyms must each stay one word, or an expansion to 聯儲局
    could not match a text jieba cut into 联储/局. Latin words never reach jieba."""
    regional = {w for w in synonym_words if not w.isascii()}
    return sorted(set(finance) | regional | {w.strip() for w in extra if w.strip()})


def vocabulary_texts() -> dict[str, str]:
    """The texts of the files of the vocabulary jieba is given besides the instrument
    names (the finance words, the synonym table), as shipped, by file name."""
    return {FINANCE_WORDS: finance_words_text(), synonyms.RESOURCE: synonyms.resource_text()}


def user_words_from(texts: Mapping[str, str], extra: Iterable[str]) -> list[str]:
    """The words jieba is given with these texts of the ``vocabulary_texts`` files and
    ``extra``; ``SynonymError`` when the table does not read."""
    table = synonyms.parse(texts.get(synonyms.RESOURCE, ""))
    return user_words_of(finance_words(texts.get(FINANCE_WORDS, "")), table.words, extra)


def user_words() -> list[str]:
    """The words this process's jieba is given (``user_words_of`` the shipped files and
    the configured extra words)."""
    return user_words_of(finance_words(), synonyms.table().words, _extra_words)


# How user words are weighed (below); part of what a stored analysis was made with.
WEIGHING = "user words weighed against the general dictionary alone, its total kept"


def base_fingerprint() -> str:
    """Changes when segmentation may change for any text: jieba's own dictionary and
    how user words are weighed. A change of user words changes only texts holding one
    of them (``_load``), so an index records this, not the words."""
    key = f"jieba {jieba.__version__}; {WEIGHING}"
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


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
    global _loaded_words
    tokenizer = jieba.Tokenizer()
    if _cache_dir is not None:
        _cache_dir.mkdir(parents=True, exist_ok=True)
        tokenizer.tmp_dir = str(_cache_dir)
        tokenizer.cache_file = "jieba.cache"
    tokenizer.initialize()
    # Each user word is weighed against the general dictionary alone, and the total is
    # kept: adding or removing a word then changes the segmentation of the texts that
    # hold it and of no other (jieba would otherwise weigh each word against the ones
    # added before it and grow the total every path is scored against).
    total = tokenizer.total
    _loaded_words = user_words()
    weights = {word: tokenizer.suggest_freq(word, False) for word in _loaded_words}
    for word, weight in weights.items():
        tokenizer.add_word(word, weight)
    tokenizer.total = total
    return tokenizer
