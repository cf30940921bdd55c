"""Instruments: the symbol dictionary, mention extraction, and the instrument table."""

from __future__ import annotations

from pathlib import Path

from app.instruments.catalog import DictionaryError, user_file
from app.instruments.dictionary import Dictionary, activate, active, load
from app.instruments.extract import Found, extract
from app.instruments.store import learned_instrument, sync_instruments
from app.search import configure_segmenter

# Bump when a change to the mention rules (``extract``, ``evidence``, ``learned``) can
# change what they find in a stored text: the next ingest then re-analyses every one.
EXTRACTION_VERSION = 1

__all__ = [
    "EXTRACTION_VERSION",
    "Dictionary",
    "DictionaryError",
    "Found",
    "active",
    "extract",
    "learned_instrument",
    "load",
    "prepare_analysis",
    "sync_instruments",
    "user_file",
]


def prepare_analysis(data_dir: Path | None) -> Dictionary:
    """Load the dictionary (with the reader's ``aliases.csv`` from ``data_dir``) and give
    jieba its Chinese names (one word each), with the cache in ``data_dir``. Index,
    queries and mention extraction all segment alike."""
    dictionary = load(None, user_file(data_dir))
    activate(dictionary)
    configure_segmenter(data_dir, dictionary.cjk_words())
    return dictionary
