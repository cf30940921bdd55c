"""Liveness and readiness: database schema, index state, document counts."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session

from app.db import schema_status
from app.web.api_models import Health
from app.web.queries.commentaries import archive_stats

router = APIRouter()


@router.get(
    "/healthz",
    tags=["health"],
    summary="Whether the archive can be served",
    response_model=Health,
    responses={
        200: {"description": "The database and the index are usable."},
        503: {"model": Health, "description": "The database or the index is not."},
    },
)
def healthz(request: Request, response: Response) -> Health:
    """``ok`` (200) when the database and index are usable, else ``degraded`` (503)."""
    engine = request.app.state.engine
    documents = 0
    try:
        database = schema_status(engine) or "ok"
        if database == "ok":
            with Session(engine) as session:
                documents = archive_stats(session).commentaries
    except SQLAlchemyError as exc:
        database = f"cannot read the database: {exc.__class__.__name__}"
    index = request.app.state.search_backend.status()
    healthy = database == "ok" and index.problem is None
    response.status_code = 200 if healthy else 503
    return Health(
        status="ok" if healthy else "degraded",
        database=database,
        index=index.problem or "ok",
        documents=documents,
        indexed=index.documents,
    )
