"""Choose and build the configured store."""

from __future__ import annotations

from chainkg.config import StoreSettings, load_settings
from chainkg.errors import ConfigError
from chainkg.graph.store import GraphStore


def make_store(settings: StoreSettings | None = None) -> GraphStore:
    """The store the settings name, not yet opened (no I/O here)."""
    settings = settings or load_settings()
    if settings.store == "embedded":
        from chainkg.graph.embedded import EmbeddedStore

        return EmbeddedStore(settings.data_dir, read_only=settings.read_only)
    if settings.store == "neo4j":
        if not settings.neo4j_password:
            raise ConfigError(
                f"the neo4j store needs a password for user {settings.neo4j_user!r} at "
                f"{settings.neo4j_uri}",
                hint="set NEO4J_PASSWORD (or pass --neo4j-password)",
            )
        from chainkg.graph.neo4j_store import Neo4jStore

        return Neo4jStore(
            settings.neo4j_uri,
            settings.neo4j_user,
            settings.neo4j_password,
            database=settings.neo4j_database,
        )
    raise ConfigError(f"unknown store {settings.store!r}", hint="use 'embedded' or 'neo4j'")
