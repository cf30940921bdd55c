"""The OpenAPI description as the API really answers: errors are ``{"error", "detail"}``
with 400, 404 or 503, never FastAPI's 422 validation body."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from pydantic import BaseModel


class ErrorBody(BaseModel):
    """What every API error looks like."""

    error: str
    detail: str | dict[str, Any] | None


ERROR_MEANINGS = {
    400: "A parameter or the query cannot be used; `detail` says why.",
    404: "Nothing has this id or symbol.",
    503: "The index or the database cannot be used right now.",
}


def errors(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """The ``responses=`` of a route that can answer with these error statuses."""
    return {s: {"model": ErrorBody, "description": ERROR_MEANINGS[s]} for s in statuses}


def describe_errors_truthfully(app: FastAPI) -> None:
    """Drop the 422 responses FastAPI adds to every route with parameters: invalid
    parameters are answered with 400 and an ``ErrorBody``."""
    generate = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            document = generate()
            for path in document.get("paths", {}).values():
                for operation in path.values():
                    operation.get("responses", {}).pop("422", None)
            schemas = document.get("components", {}).get("schemas", {})
            for name in ("HTTPValidationError", "ValidationError"):
                schemas.pop(name, None)
            app.openapi_schema = document
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
