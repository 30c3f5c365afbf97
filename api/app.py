"""The FastAPI application factory.

Every route needs an API key (reads too): see ``chainkg keys add``. The app
opens its store once (lifespan) and shares it across requests; an unavailable
store answers 503 and is reopened on the next request.
"""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from pathlib import Path

from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

from chainkg.errors import ChainkgError, ConfigError
from chainkg.graph.factory import make_store
from chainkg.graph.projection import ProjectionHolder
from chainkg.graph.store import GraphStore

from . import errors, middleware
from .cache import ResponseCache
from .keys import KeyFile
from .routes import (
    aliases,
    chains,
    evaluation,
    findings,
    health,
    ledger,
    lists,
    maps,
    orgs,
    roster,
    subgraphs,
    versions,
)
from .settings import ApiSettings
from .state import StoreHolder

DESCRIPTION = """\
Subgraphs, findings and maps of Henan's industrial chains (双长制, 豫政办〔2021〕61号)
for other systems.

Every request needs an API key: `Authorization: Bearer <key>` or `X-API-Key: <key>`.
Roles: `viewer` reads; `unit` also writes the lists (清单) of the chains its organisation
is responsible for (群链长责任单位); `admin` may do everything. `/health` and `/ready`
need no key.
"""

DOCS_ASSETS = "/docs-assets"


def docs_assets_dir() -> str:
    """Swagger UI's files, shipped by the fastapi-offline package (no CDN: intranets)."""
    import fastapi_offline

    return str(Path(fastapi_offline.__file__).parent / "static")


def add_docs(app: FastAPI) -> None:
    """Serve /docs (Swagger UI) from this server's own copy of its scripts."""
    app.mount(DOCS_ASSETS, StaticFiles(directory=docs_assets_dir()), name="docs-assets")

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url="/openapi.json",
            title="chainkg API",
            swagger_js_url=f"{DOCS_ASSETS}/swagger-ui-bundle.js",
            swagger_css_url=f"{DOCS_ASSETS}/swagger-ui.css",
            swagger_favicon_url=f"{DOCS_ASSETS}/favicon.png",
        )


def create_app(settings: ApiSettings | None = None, store: GraphStore | None = None) -> FastAPI:
    """The API over ``store`` (default: the configured one).

    ConfigError when writes are enabled and no API key exists: there is no
    default secret, so such a server would be open to no one or to anyone.
    """
    settings = settings or ApiSettings.load()
    keys = KeyFile(settings.key_path())
    if settings.writes_enabled and not keys.active():
        raise ConfigError(
            f"no API keys in {keys.path}: the server does not start with writes enabled and "
            "no keys",
            hint="create one with `chainkg keys add --role admin --name <label>` "
            "(or set CHAINKG_API_WRITES=false for a read-only server)",
        )
    owns_store = store is None
    holder = StoreHolder(store or make_store(settings.store))

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        holder.try_open()
        projection = app.state.projection
        if projection is not None and projection.file:
            # A worker of `serve --workers N`: map the projection built for it before the
            # first request, not during one.
            with suppress(ChainkgError):
                holder.use(projection.get)
        yield
        if owns_store:
            holder.close()

    app = FastAPI(
        title="chainkg API",
        version="0.1.0",
        description=DESCRIPTION,
        lifespan=lifespan,
        docs_url=None,  # served by add_docs from local files
        redoc_url=None,  # ReDoc's page loads web fonts from a CDN
    )
    app.state.settings = settings
    app.state.keys = keys
    app.state.link_secret = (
        settings.link_secret.encode("utf-8") if settings.link_secret else secrets.token_bytes(32)
    )
    app.state.holder = holder
    app.state.subgraph_cache = ResponseCache(int(settings.cache_mb * 2**20), settings.cache_ttl)
    app.state.projection = (
        ProjectionHolder(settings.cache_ttl, settings.projection_file)
        if settings.projection
        else None
    )
    errors.install(app)
    # subgraphs before orgs: /orgs/{id:path} would also match /orgs/{id}/neighbourhood
    routers = (
        health,
        roster,
        chains,
        subgraphs,
        orgs,
        findings,
        maps,
        lists,
        evaluation,
        ledger,
        versions,
        aliases,
    )
    for module in routers:
        app.include_router(module.router)
    add_docs(app)
    # add_middleware wraps: the last added is the outermost.
    app.add_middleware(middleware.HeadAsGet)
    app.add_middleware(middleware.ReadOnly, writes_enabled=settings.writes_enabled)
    app.add_middleware(
        middleware.BodyIntake, max_bytes=settings.max_body_bytes, timeout=settings.body_timeout
    )
    app.add_middleware(middleware.HostAllowList, allowed=settings.host_names())
    app.add_middleware(middleware.SecurityHeaders)
    app.add_middleware(middleware.RequestLog)
    return app
