"""Typed settings, read from the environment (prefix ``ARCHIVE_``)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


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

    def ensure_dirs(self) -> None:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.resolved_index_dir.mkdir(parents=True, exist_ok=True)


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
