"""API settings from the environment (on top of the store settings).

| variable | default | meaning |
|---|---|---|
| CHAINKG_API_KEYS_FILE | <CHAINKG_DATA_DIR>/api-keys.json | hashed API keys and their roles |
| CHAINKG_API_WRITES | true | accept list writes (create/update/delete entries, uploads) |
| CHAINKG_API_MAX_BODY | 10485760 | largest request body in bytes (413 beyond) |
| CHAINKG_API_CACHE_MB | 64 | memory for cached subgraph responses (0: no cache) |
| CHAINKG_API_LINK_SECRET | (random per process) | signs the short-lived map links of POST /maps/links; set it when several server processes share the links |
| CHAINKG_API_CACHE_TTL | 0 | seconds a cached subgraph may be served; needed (> 0) to cache on Neo4j, which other processes may write (see api/cache.py) |
| CHAINKG_API_BODY_TIMEOUT | 30 | seconds a request body may take to arrive (408 beyond) |
| CHAINKG_API_ALLOWED_HOSTS | localhost,127.0.0.1,::1 | Host header names the server answers (comma-separated; ``*.example.org`` for subdomains, ``*`` for any); 400 otherwise |
| CHAINKG_API_PROJECTION | true | answer subgraphs from an in-memory read projection of the graph (graph/projection.py): embedded, rebuilt after every write; Neo4j only with CHAINKG_API_CACHE_TTL, rebuilt once older |
| CHAINKG_API_PROJECTION_FILE | (none) | a folder holding a projection saved by graph/projection_file.py: each server process maps it instead of building its own while the graph files are unchanged (`chainkg serve --workers N --read-only` sets it) |
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from chainkg.config import StoreSettings, load_model, load_settings


class ApiSettings(BaseSettings):
    """How the API runs; ``store`` says which graph it serves."""

    model_config = SettingsConfigDict(extra="ignore", populate_by_name=True)

    keys_file: Path | None = Field(
        None, validation_alias="CHAINKG_API_KEYS_FILE", description="a file path"
    )
    writes_enabled: bool = Field(
        True, validation_alias="CHAINKG_API_WRITES", description="true or false"
    )
    max_body_bytes: int = Field(
        10 * 1024 * 1024,
        gt=0,
        validation_alias="CHAINKG_API_MAX_BODY",
        description="a whole number of bytes above 0",
    )
    cache_mb: float = Field(
        64, ge=0, validation_alias="CHAINKG_API_CACHE_MB", description="megabytes, 0 or more"
    )
    cache_ttl: float = Field(
        0, ge=0, validation_alias="CHAINKG_API_CACHE_TTL", description="seconds, 0 or more"
    )
    body_timeout: float = Field(
        30, gt=0, validation_alias="CHAINKG_API_BODY_TIMEOUT", description="seconds above 0"
    )
    link_secret: str | None = Field(
        None,
        validation_alias="CHAINKG_API_LINK_SECRET",
        description="a secret text that signs map links",
    )
    allowed_hosts: str = Field(
        "localhost,127.0.0.1,::1,[::1]",
        validation_alias="CHAINKG_API_ALLOWED_HOSTS",
        description="comma-separated host names",
    )
    projection: bool = Field(
        True, validation_alias="CHAINKG_API_PROJECTION", description="true or false"
    )
    projection_file: str | None = Field(
        None, validation_alias="CHAINKG_API_PROJECTION_FILE", description="a folder"
    )
    store: StoreSettings = Field(default_factory=load_settings)

    @classmethod
    def load(cls, **given: object) -> ApiSettings:
        """From the environment and ``given``; ConfigError (variable, value, hint) if invalid."""
        return load_model(cls, **given)

    def host_names(self) -> list[str]:
        """The allowed Host names, one per comma-separated item."""
        return [h.strip() for h in self.allowed_hosts.split(",") if h.strip()]

    def key_path(self) -> Path:
        """Where the hashed keys are kept."""
        return self.keys_file or self.store.data_dir / "api-keys.json"
