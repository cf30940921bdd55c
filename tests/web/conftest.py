"""Fixtures shared by the web tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from app.config import Settings
from app.web.app import create_app
from app.web.routers import commentaries as commentaries_router


@pytest.fixture
def failing_home(
    seeded_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> Iterator[TestClient]:
    """A client of the seeded archive whose home page fails with an unexpected error."""

    def broken(*_: object) -> None:
        raise RuntimeError("the database went away")

    monkeypatch.setattr(commentaries_router, "home_page", broken)
    with TestClient(create_app(seeded_settings), raise_server_exceptions=False) as fresh:
        yield fresh
