"""Every refusal the site gives, in one shape: a stable machine code, a message in
Chinese for the reader, and details a client can act on. API routes answer it as JSON
(``ErrorBody``); pages show the message on the error page."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from pydantic import BaseModel, Field


class ErrorCode(StrEnum):
    """What went wrong, for programs: these values never change."""

    BAD_REQUEST = "bad_request"
    BAD_QUERY = "bad_query"
    NOT_FOUND = "not_found"
    UNKNOWN_TICKER = "unknown_ticker"
    EMPTY_PERIOD = "empty_period"
    METHOD_NOT_ALLOWED = "method_not_allowed"
    INDEX_UNAVAILABLE = "index_unavailable"
    DATABASE_UNAVAILABLE = "database_unavailable"
    INTERNAL_ERROR = "internal_error"


# The status each code is answered with, and what it means (the OpenAPI description).
STATUS = {
    ErrorCode.BAD_REQUEST: 400,
    ErrorCode.BAD_QUERY: 400,
    ErrorCode.NOT_FOUND: 404,
    ErrorCode.UNKNOWN_TICKER: 404,
    ErrorCode.EMPTY_PERIOD: 404,
    ErrorCode.METHOD_NOT_ALLOWED: 405,
    ErrorCode.INDEX_UNAVAILABLE: 503,
    ErrorCode.DATABASE_UNAVAILABLE: 503,
    ErrorCode.INTERNAL_ERROR: 500,
}

MEANINGS = {
    ErrorCode.BAD_REQUEST: "A parameter is out of range or of the wrong type; `detail` lists "
    "each parameter with its problem.",
    ErrorCode.BAD_QUERY: "The search query, a date or a ticker filter cannot be used; "
    "`message` says why.",
    ErrorCode.NOT_FOUND: "Nothing has this id, or there is no such date or address.",
    ErrorCode.UNKNOWN_TICKER: "No instrument has this symbol or name; `detail.suggestions` "
    "lists close ones.",
    ErrorCode.EMPTY_PERIOD: "The period exists but holds no commentary; `detail` links the "
    "nearest earlier and later periods that do.",
    ErrorCode.METHOD_NOT_ALLOWED: "The address answers GET (and HEAD) only.",
    ErrorCode.INDEX_UNAVAILABLE: "The search index cannot be used right now; `detail.reason` "
    "tells the operator what to do.",
    ErrorCode.DATABASE_UNAVAILABLE: "The database cannot be used right now; `detail.reason` "
    "tells the operator what to do.",
    ErrorCode.INTERNAL_ERROR: "An unexpected failure; it has been logged.",
}


class ParameterProblem(BaseModel):
    """One request parameter that cannot be used."""

    parameter: str = Field(description="The parameter's name as sent, e.g. `per_page`.")
    message: str = Field(description="What is wrong with it, in Chinese.")


class Suggestions(BaseModel):
    """Symbols that look like an unknown one."""

    suggestions: list[str] = Field(description="Close symbols, best first (at most 5).")


class PeriodLink(BaseModel):
    """A year, month or day of the timeline that holds commentaries."""

    period: str = Field(description="`YYYY`, `YYYY-MM` or `YYYY-MM-DD`.")
    label: str = Field(description="The period as readers see it, e.g. `2024年9月`.")
    count: int = Field(description="Commentaries dated in the period.")
    url: str = Field(description="Its page, e.g. `/timeline/2024/09`.")
    api_url: str = Field(description="Its JSON twin, e.g. `/api/timeline/2024/09`.")


class NearestPeriods(BaseModel):
    """The periods nearest an empty one that hold commentaries."""

    earlier: PeriodLink | None = Field(description="The nearest earlier one, if any.")
    later: PeriodLink | None = Field(description="The nearest later one, if any.")


class Reason(BaseModel):
    """Why a service is unavailable, for the operator (may be English)."""

    reason: str = Field(description="What is wrong and the command that fixes it.")


Detail = list[ParameterProblem] | Suggestions | NearestPeriods | Reason | None


class ErrorBody(BaseModel):
    """What every API error looks like, whatever its status."""

    error: ErrorCode = Field(description="A stable machine code; see the list of codes.")
    message: str = Field(description="What went wrong, in Chinese, for a reader.")
    detail: Detail = Field(description="Details that depend on `error`, or null.")


class Refusal(Exception):
    """A request the site refuses; raised by routes, answered by the app's handler as
    an ``ErrorBody`` (API) or an error page (pages)."""

    def __init__(self, code: ErrorCode, message: str, detail: Detail = None) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.detail = detail

    @property
    def status(self) -> int:
        return STATUS[self.code]

    def body(self) -> ErrorBody:
        return ErrorBody(error=self.code, message=self.message, detail=self.detail)


def errors(*codes: ErrorCode) -> dict[int | str, dict[str, Any]]:
    """The ``responses=`` of a route that can refuse with these codes, grouped by status."""
    by_status: dict[int, list[ErrorCode]] = {}
    for code in codes:
        by_status.setdefault(STATUS[code], []).append(code)
    return {
        status: {
            "model": ErrorBody,
            "description": " ".join(f"`{c.value}`: {MEANINGS[c]}" for c in found),
        }
        for status, found in sorted(by_status.items())
    }
