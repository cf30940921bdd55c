"""The OpenAPI description as the API really answers, and where the viewer at /docs
comes from. Errors are an ``ErrorBody`` with 400, 404 or 503, never FastAPI's 422
validation body."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path
from typing import Any

from fastapi import FastAPI

from app.web.errors import MEANINGS, STATUS

# Swagger UI's script and stylesheet, as the fastapi-offline package ships them.
DOCS_ASSETS = Path(str(files("fastapi_offline") / "static"))

DESCRIPTION = """\
A read-only archive of Chinese-language market commentaries: search, browse by date,
follow an instrument. Every page of the site has a JSON twin here; dates are
`YYYY-MM-DD`, and a commentary dated to a month only has the month's first day with
`date_precision` `month`.

Every error has the same body: a stable machine code in `error`, a message in Chinese
in `message`, and `detail` whose shape depends on the code:

""" + "\n".join(f"- `{code.value}` ({STATUS[code]}): {text}" for code, text in MEANINGS.items())


TAGS = [
    {
        "name": "search",
        "description": "Full-text search in Chinese (either script), English and tickers.",
    },
    {
        "name": "suggest",
        "description": "Instruments and titles to offer while a reader types in a search box.",
    },
    {"name": "commentaries", "description": "Commentaries, newest first, and one in full."},
    {"name": "tickers", "description": "Instruments and every mention of them."},
    {"name": "timeline", "description": "The archive by year, month and day."},
    {"name": "home", "description": "The home page's overview."},
    {"name": "health", "description": "Whether the database and the index can be used."},
]


def describe_errors_truthfully(app: FastAPI) -> None:
    """Drop the 422 responses FastAPI adds to every route with parameters: invalid
    parameters are answered with 400 and an ``ErrorBody``."""
    generate = app.openapi
    app.description = DESCRIPTION
    app.openapi_tags = TAGS

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
