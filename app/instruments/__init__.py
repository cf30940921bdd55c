"""Instruments: the symbol dictionary, mention extraction, and the instrument table."""

from __future__ import annotations

from pathlib import Path

from app.instruments.dictionary import Dictionary, DictionaryError, load
from app.instruments.extract import Found, extract
from app.instruments.store import sync_instruments
from app.search import configure_segmenter

__all__ = [
    "Dictionary",
    "DictionaryError",
    "Found",
    "extract",
    "load",
    "prepare_analysis",
    "sync_instruments",
]


def prepare_analysis(cache_dir: Path | None) -> Dictionary:
    """Load the dictionary and give jieba its Chinese names (one word each), with the
    cache in ``cache_dir``. Index, queries and mention extraction all segment alike."""
    dictionary = load()
    configure_segmenter(cache_dir, dictionary.cjk_words())
    return dictionary
