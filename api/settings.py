"""API settings from the environment (on top of the store settings).

| variable | default | meaning |
|---|---|---|
| CHAINKG_API_KEYS_FILE | <CHAINKG_DATA_DIR>/api-keys.json | hashed API keys and their roles |
| CHAINKG_API_WRITES | true | accept list writes (create/update/delete entries, uploads) |
| CHAINKG_API_MAX_BODY | 10485760 | largest request body in bytes (413 beyond) |
| CHAINKG_API_CACHE_MB | 64 | memory for cached subgraph responses (0: no cache) |
| CHAINKG_API_LINK_SECRET | (random per process) | signs the short-lived map links of POST /maps/links; set it when several server processes share the links |
| CHAINKG_API_CACHE_TTL | 0 | seconds a cached subgraph may be served; needed (> 0) to cache on Neo4j, which other processes may write (see api/cache.py) |
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from chainkg.config import StoreSettings, load_settings


class ApiSettings(BaseSettings):
    """How the API runs; ``store`` says which graph it serves."""

    model_config = SettingsConfigDict(extra="ignore", populate_by_name=True)

    keys_file: Path | None = Field(None, validation_alias="CHAINKG_API_KEYS_FILE")
    writes_enabled: bool = Field(True, validation_alias="CHAINKG_API_WRITES")
    max_body_bytes: int = Field(10 * 1024 * 1024, validation_alias="CHAINKG_API_MAX_BODY")
    cache_mb: float = Field(64, ge=0, validation_alias="CHAINKG_API_CACHE_MB")
    cache_ttl: float = Field(0, ge=0, validation_alias="CHAINKG_API_CACHE_TTL")
    link_secret: str | None = Field(None, validation_alias="CHAINKG_API_LINK_SECRET")
    store: StoreSettings = Field(default_factory=load_settings)

    def key_path(self) -> Path:
        """Where the hashed keys are kept."""
        return self.keys_file or self.store.data_dir / "api-keys.json"
