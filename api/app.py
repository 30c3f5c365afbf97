"""The FastAPI application factory.

Every route needs an API key (reads too): see ``chainkg keys add``. The app
opens its store once (lifespan) and shares it across requests; an unavailable
store answers 503 and is reopened on the next request.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from chainkg.errors import ConfigError
from chainkg.graph.factory import make_store
from chainkg.graph.store import GraphStore

from . import errors
from .cache import ResponseCache
from .keys import KeyFile
from .limits import BodyLimit
from .routes import chains, findings, lists, maps, orgs, roster, subgraphs, versions
from .settings import ApiSettings
from .state import StoreHolder

DESCRIPTION = """\
Subgraphs, findings and maps of Henan's industrial chains (双长制, 豫政办〔2021〕61号)
for other systems.

Every request needs an API key: `Authorization: Bearer <key>` or `X-API-Key: <key>`.
Roles: `viewer` reads; `unit` also writes the lists (清单) of the chains its organisation
is responsible for (群链长责任单位); `admin` may do everything.
"""


def create_app(settings: ApiSettings | None = None, store: GraphStore | None = None) -> FastAPI:
    """The API over ``store`` (default: the configured one).

    ConfigError when writes are enabled and no API key exists: there is no
    default secret, so such a server would be open to no one or to anyone.
    """
    settings = settings or ApiSettings()
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
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        holder.try_open()
        yield
        if owns_store:
            holder.close()

    app = FastAPI(
        title="chainkg API",
        version="0.1.0",
        description=DESCRIPTION,
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.keys = keys
    app.state.holder = holder
    app.state.subgraph_cache = ResponseCache(int(settings.cache_mb * 2**20), settings.cache_ttl)
    errors.install(app)
    for module in (roster, chains, orgs, subgraphs, findings, maps, lists, versions):
        app.include_router(module.router)
    app.add_middleware(BodyLimit, max_bytes=settings.max_body_bytes)
    return app
