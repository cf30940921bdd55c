"""Request dependencies, as ``Annotated`` aliases used by every router."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlmodel import Session

from app.config import Settings
from app.instruments import Dictionary
from app.instruments.watched import WatchedDictionary
from app.search import SearchBackend


def _session(request: Request) -> Iterator[Session]:
    with Session(request.app.state.engine) as session:
        yield session


def _search_backend(request: Request) -> SearchBackend:
    backend: SearchBackend = request.app.state.search_backend
    return backend


def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def _dictionary(request: Request) -> Dictionary:
    """The dictionary, with the names taught since the server started."""
    watched: WatchedDictionary = request.app.state.dictionary
    return watched.current()


SessionDep = Annotated[Session, Depends(_session)]
SearchBackendDep = Annotated[SearchBackend, Depends(_search_backend)]
SettingsDep = Annotated[Settings, Depends(_settings)]
DictionaryDep = Annotated[Dictionary, Depends(_dictionary)]
