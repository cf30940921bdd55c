"""Typed settings, read from the environment (prefix ``ARCHIVE_``)."""

from __future__ import annotations

import ipaddress
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

# Seconds a search may take unless ARCHIVE_SEARCH_BUDGET says otherwise.
DEFAULT_SEARCH_BUDGET = 1.0


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ARCHIVE_", env_file=None, extra="ignore")

    data_dir: Path = Field(
        default=Path("data"),
        description="Folder for the database, the index and the jieba cache.",
    )
    database_url: str | None = Field(
        default=None,
        description="SQLAlchemy URL; defaults to a SQLite file in the data folder.",
    )
    index_dir: Path | None = Field(
        default=None,
        description="Folder of the full-text index; defaults to <data_dir>/index.",
    )
    search_backend: str = Field(
        default="whoosh",
        description=(
            "The full-text engine: whoosh (an index in files under the index folder, "
            "written by ingest and read by every web process), or postgres (the index "
            "is a table of the PostgreSQL database itself, written with each "
            "commentary: web processes need nothing but the database)."
        ),
    )
    search_budget: float = Field(
        default=DEFAULT_SEARCH_BUDGET,
        gt=0,
        description=(
            "Seconds a search may take: past them it answers with what it has found so "
            "far, marked partial, so that no query holds a web worker for long."
        ),
    )
    web_threads: int = Field(
        default=2,
        ge=1,
        le=64,
        description="Requests each web worker process handles at once.",
    )
    lock_timeout: float = Field(
        default=10.0,
        description="Seconds a second ingest waits for the first before giving up.",
    )
    max_file_mb: float = Field(
        default=20.0,
        gt=0,
        description=(
            "Largest file, or JSON Lines line, an ingest reads, in MB of 1,048,576 bytes; "
            "a larger one is refused without being read."
        ),
    )
    max_text_chars: int = Field(
        default=200_000,
        gt=0,
        description="Most characters of text one commentary may have; a longer one is refused.",
    )
    base_url: str | None = Field(
        default=None,
        description=(
            "The address readers reach the site at, such as https://archive.example.com; "
            "feeds and canonical links use it. Unset: every link is root-relative."
        ),
    )
    trusted_proxies: str | None = Field(
        default=None,
        description=(
            "Comma-separated addresses or networks of reverse proxies whose X-Forwarded-For "
            "and X-Forwarded-Proto are believed; * trusts every client. Unset: none."
        ),
    )

    @field_validator("base_url", mode="before")
    @classmethod
    def _check_base_url(cls, value: object) -> object:
        if isinstance(value, str):
            return normal_base_url(value) if value.strip() else None
        return value

    @field_validator("search_backend", mode="before")
    @classmethod
    def _check_search_backend(cls, value: object) -> object:
        if isinstance(value, str):
            # Imported here: the engines' registry is part of the search package.
            from app.search import backend_problem

            value = value.strip().lower()
            problem = backend_problem(value)
            if problem:
                raise ValueError(problem)
        return value

    @model_validator(mode="after")
    def _check_engine_database(self) -> Settings:
        from app.search import database_problem

        problem = database_problem(self.search_backend, self.resolved_database_url)
        if problem:
            raise ValueError(problem)
        return self

    @field_validator("trusted_proxies", mode="before")
    @classmethod
    def _check_trusted_proxies(cls, value: object) -> object:
        if isinstance(value, str):
            return normal_proxies(value)
        return value

    @property
    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'archive.sqlite3').resolve()}"

    @property
    def resolved_index_dir(self) -> Path:
        return (self.index_dir or self.data_dir / "index").resolve()

    @property
    def jieba_cache_file(self) -> Path:
        return (self.data_dir / "jieba.cache").resolve()

    @property
    def lock_file(self) -> Path:
        return (self.data_dir / "ingest.lock").resolve()

    @property
    def index_in_files(self) -> bool:
        """Whether the search engine keeps its index in files (the index folder)."""
        from app.search import IN_POSTGRESQL

        return self.search_backend not in IN_POSTGRESQL

    def ensure_dirs(self) -> None:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        if self.index_in_files:
            self.resolved_index_dir.mkdir(parents=True, exist_ok=True)


def base_url_problem(value: str) -> str | None:
    """Why ``value`` cannot be the site's base URL, or None when it can."""
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 (raises for a port that is not a number up to 65535)
    except ValueError as exc:
        return f"is not a URL ({exc})"
    if parts.scheme not in ("http", "https") or not value.lower().startswith(f"{parts.scheme}://"):
        return "must start with http:// or https://"
    if not parts.hostname:
        return "has no host name"
    if any(c.isspace() or c in '<>"\\{}|^`' for c in parts.netloc):
        return "has a character no host name holds"
    if parts.username is not None or parts.password is not None:
        return "must not hold a user name or password"
    if parts.path not in ("", "/"):
        return (
            f"has a path ({parts.path}): the archive is served at the root of a host "
            "(give it a host of its own, such as https://archive.example.com)"
        )
    if parts.query or parts.fragment or "?" in value or "#" in value:
        return "must not hold a query or a fragment"
    return None


def normal_base_url(value: str) -> str:
    """A valid base URL as links use it: lower-case scheme and host, no trailing slash.
    Raises ``ValueError`` saying what is wrong with an invalid one."""
    value = value.strip()
    problem = base_url_problem(value)
    if problem:
        raise ValueError(f"ARCHIVE_BASE_URL {value!r} {problem}")
    parts = urlsplit(value)
    return f"{parts.scheme}://{parts.netloc.lower()}"


def normal_proxies(value: str) -> str | None:
    """Trusted proxies as uvicorn takes them (``10.0.0.1,10.1.0.0/16`` or ``*``), or
    None for none. Raises ``ValueError`` naming an entry that is no address or network."""
    entries = [e.strip() for e in value.split(",") if e.strip()]
    if not entries:
        return None
    if "*" in entries:
        if len(entries) > 1:
            raise ValueError("ARCHIVE_TRUSTED_PROXIES: * trusts every client; give it alone")
        return "*"
    for entry in entries:
        try:
            ipaddress.ip_network(entry, strict=False)
        except ValueError:
            raise ValueError(
                f"ARCHIVE_TRUSTED_PROXIES: {entry!r} is not an IP address or network"
            ) from None
    return ",".join(entries)


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
