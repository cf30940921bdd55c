"""``create_app(settings)``: the web application. It only reads: the database and index
are written by ``archive ingest`` / ``archive reindex``."""

from __future__ import annotations

import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from anyio import to_thread
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from sqlalchemy.exc import SQLAlchemyError
from starlette.exceptions import HTTPException as StarletteHTTPException

from app import __version__
from app.config import Settings, get_settings
from app.db import make_engine, schema_status
from app.instruments.watched import WatchedDictionary
from app.search import load_segmenter, open_backend
from app.web.errors import ErrorCode, NearestPeriods, Reason, Refusal
from app.web.head import HeadAsGet
from app.web.headers import SecurityHeaders, secure
from app.web.messages import (
    DATABASE_UNAVAILABLE,
    INTERNAL_ERROR,
    METHOD_NOT_ALLOWED,
    NOT_FOUND,
    parameter_problems,
    problems_sentence,
)
from app.web.openapi import DOCS_ASSETS, describe_errors_truthfully
from app.web.routers import commentaries, docs, health, search, suggest, tickers, timeline
from app.web.templating import build_templates
from app.web.templating import render as render_page
from app.web.twins import json_twin

STATIC_DIR = Path(__file__).resolve().parent.parent.parent / "static"


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/") or request.url.path == "/healthz"


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # Load jieba's dictionary before the first request rather than during it.
        load_segmenter()
        # Pages are CPU-bound Python: a few threads finish more requests per second than
        # forty fighting over the interpreter lock; the rest wait their turn cheaply.
        to_thread.current_default_thread_limiter().total_tokens = settings.web_threads
        backend = app.state.search_backend
        warming = threading.Thread(target=backend.warm, name="search-warm", daemon=True)
        warming.start()
        yield
        warming.join()
        backend.close()
        app.state.engine.dispose()

    app = FastAPI(
        title="Commentary Archive",
        version=__version__,
        lifespan=lifespan,
        # /docs is our own page (app.web.routers.docs): Swagger UI from a package, started
        # by a script in static/, under the site's policy.
        docs_url=None,
        redoc_url=None,
    )
    app.state.dictionary = WatchedDictionary(settings.data_dir.resolve())
    app.state.settings = settings
    app.state.engine = make_engine(settings, read_only=True)
    app.state.search_backend = open_backend(settings)
    app.state.templates = build_templates()
    app.state.templates.env.globals["json_twin"] = json_twin
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.mount("/docs/ui", StaticFiles(directory=DOCS_ASSETS), name="docs-ui")
    app.add_middleware(SecurityHeaders)
    app.add_middleware(HeadAsGet)
    routers = (commentaries, search, suggest, tickers, timeline, health, docs)
    for module in routers:
        app.include_router(module.router)
    _error_pages(app)
    describe_errors_truthfully(app)
    return app


# The heading of an error page: by code where one says more than the status.
HEADINGS = {
    ErrorCode.EMPTY_PERIOD: "这段时间没有评论",
    ErrorCode.UNKNOWN_TICKER: "没有这个代码",
}
STATUS_HEADINGS = {
    400: "请求有误",
    404: "页面不存在",
    405: "请求方式不对",
    500: "服务器出错了",
    503: "暂时无法提供服务",
}
HTTP_CODES = {404: ErrorCode.NOT_FOUND, 405: ErrorCode.METHOD_NOT_ALLOWED}


def refusal_response(request: Request, refusal: Refusal) -> Response:
    """The one way a refusal is answered: ``ErrorBody`` JSON on the API, else a page."""
    if _wants_json(request):
        body = refusal.body().model_dump(mode="json")
        return JSONResponse(body, status_code=refusal.status)
    heading = HEADINGS.get(refusal.code) or STATUS_HEADINGS.get(refusal.status, "出错了")
    context = {
        "status": refusal.status,
        "heading": heading,
        "message": refusal.message,
        "nearest": refusal.detail if isinstance(refusal.detail, NearestPeriods) else None,
        "reason": refusal.detail.reason if isinstance(refusal.detail, Reason) else None,
    }
    return render_page(request, "error.html", context, status_code=refusal.status)


def _error_pages(app: FastAPI) -> None:
    @app.exception_handler(Refusal)
    async def refused(request: Request, exc: Refusal) -> Response:
        return refusal_response(request, exc)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        # Only routing raises these (no such path, a method other than GET): routes raise
        # a Refusal.
        code = HTTP_CODES.get(exc.status_code, ErrorCode.NOT_FOUND)
        message = METHOD_NOT_ALLOWED if code == ErrorCode.METHOD_NOT_ALLOWED else NOT_FOUND
        response = refusal_response(request, Refusal(code, message))
        if exc.headers:
            response.headers.update(exc.headers)
        return response

    @app.exception_handler(RequestValidationError)
    async def bad_request(request: Request, exc: RequestValidationError) -> Response:
        problems = parameter_problems(exc.errors())
        refusal = Refusal(ErrorCode.BAD_REQUEST, problems_sentence(problems), problems)
        return refusal_response(request, refusal)

    @app.exception_handler(SQLAlchemyError)
    async def database_error(request: Request, exc: SQLAlchemyError) -> Response:
        # A database without its schema (served before the first ingest) is a state to
        # explain, not a crash.
        problem = schema_status(request.app.state.engine)
        if problem is None:
            raise exc
        reason = Reason(reason=problem)
        refusal = Refusal(ErrorCode.DATABASE_UNAVAILABLE, DATABASE_UNAVAILABLE, reason)
        return refusal_response(request, refusal)

    @app.exception_handler(Exception)
    async def server_error(request: Request, exc: Exception) -> Response:
        # Starlette answers this one outside every middleware, SecurityHeaders included.
        response = refusal_response(request, Refusal(ErrorCode.INTERNAL_ERROR, INTERNAL_ERROR))
        secure(response.headers)
        return response
