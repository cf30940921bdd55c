"""``create_app(settings)``: the web application. It only reads: the database and index
are written by ``archive ingest`` / ``archive reindex``."""

from __future__ import annotations

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
from app.instruments import prepare_analysis
from app.search import SearchIndex, load_segmenter
from app.web.head import HeadAsGet
from app.web.headers import SecurityHeaders, secure
from app.web.openapi import describe_errors_truthfully
from app.web.routers import commentaries, health, search, suggest, tickers, timeline
from app.web.templating import build_templates
from app.web.templating import render as render_page

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
        yield
        app.state.search_index.close()
        app.state.engine.dispose()

    app = FastAPI(
        title="Commentary Archive",
        version=__version__,
        lifespan=lifespan,
        # Swagger UI needs a CDN and inline script, which the pages' policy forbids; the
        # description itself is /openapi.json.
        docs_url=None,
        redoc_url=None,
    )
    app.state.dictionary = prepare_analysis(settings.data_dir.resolve())
    app.state.settings = settings
    app.state.engine = make_engine(settings, read_only=True)
    app.state.search_index = SearchIndex(settings.resolved_index_dir)
    app.state.templates = build_templates()
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    app.add_middleware(SecurityHeaders)
    app.add_middleware(HeadAsGet)
    routers = (commentaries, search, suggest, tickers, timeline, health)
    for module in routers:
        app.include_router(module.router)
    _error_pages(app)
    describe_errors_truthfully(app)
    return app


ERROR_HEADINGS = {
    400: "请求有误",
    404: "页面不存在",
    500: "服务器出错了",
    503: "暂时无法提供服务",
}


def _error_pages(app: FastAPI) -> None:
    def render(request: Request, status: int, message: str) -> Response:
        if _wants_json(request):
            return JSONResponse({"error": message, "detail": None}, status_code=status)
        heading = ERROR_HEADINGS.get(status, "出错了")
        context = {"status": status, "heading": heading, "message": message, "q": ""}
        return render_page(request, "error.html", context, status_code=status)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        message = (
            "这个地址没有对应的页面，可能是链接写错了，或者内容已被移除。"
            if exc.status_code == 404 and exc.detail == "Not Found"
            else str(exc.detail)
        )
        return render(request, exc.status_code, message)

    @app.exception_handler(RequestValidationError)
    async def bad_request(request: Request, exc: RequestValidationError) -> Response:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc'][1:])}: {err['msg']}" for err in exc.errors()
        )
        if _wants_json(request):
            return JSONResponse({"error": "invalid request", "detail": problems}, status_code=400)
        return render(request, 400, f"请求参数有误：{problems}")

    @app.exception_handler(SQLAlchemyError)
    async def database_error(request: Request, exc: SQLAlchemyError) -> Response:
        # A database without its schema (served before the first ingest) is a state to
        # explain, not a crash.
        problem = schema_status(request.app.state.engine)
        if problem is None:
            raise exc
        return render(request, 503, problem)

    @app.exception_handler(Exception)
    async def server_error(request: Request, exc: Exception) -> Response:
        # Starlette answers this one outside every middleware, SecurityHeaders included.
        response = render(request, 500, "处理这个请求时出了错，已经记录下来。请稍后再试。")
        secure(response.headers)
        return response
