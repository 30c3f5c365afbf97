"""Settings from the environment (and CLI options), validated once.

| variable | default | meaning |
|---|---|---|
| CHAINKG_STORE | embedded | ``embedded`` (LadybugDB, no server) or ``neo4j`` |
| CHAINKG_DATA_DIR | $XDG_DATA_HOME/chainkg or ~/.local/share/chainkg | embedded graph folder |
| NEO4J_URI | bolt://127.0.0.1:7687 | Neo4j server |
| NEO4J_USER | neo4j | |
| NEO4J_PASSWORD | (none) | required for the neo4j store |
| NEO4J_DATABASE | neo4j | database name |
| CHAINKG_READ_ONLY | false | open the embedded graph read-only (several API workers may share it) |
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal, TypeVar

from pydantic import Field, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

from chainkg.errors import ConfigError


def default_data_dir() -> Path:
    """The embedded store's folder when CHAINKG_DATA_DIR is not set (XDG data home)."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "chainkg"


class StoreSettings(BaseSettings):
    """Which store to use and how to reach it."""

    model_config = SettingsConfigDict(extra="ignore", populate_by_name=True)

    store: Literal["embedded", "neo4j"] = Field(
        "embedded", validation_alias="CHAINKG_STORE", description="'embedded' or 'neo4j'"
    )
    data_dir: Path = Field(
        default_factory=default_data_dir,
        validation_alias="CHAINKG_DATA_DIR",
        description="the embedded graph's folder",
    )
    neo4j_uri: str = Field("bolt://127.0.0.1:7687", validation_alias="NEO4J_URI")
    neo4j_user: str = Field("neo4j", validation_alias="NEO4J_USER")
    neo4j_password: str | None = Field(None, validation_alias="NEO4J_PASSWORD")
    neo4j_database: str = Field("neo4j", validation_alias="NEO4J_DATABASE")
    read_only: bool = Field(
        False, validation_alias="CHAINKG_READ_ONLY", description="true or false"
    )

    def environment(self) -> dict[str, str]:
        """These settings as the environment variables that give them (for worker processes)."""
        env = {
            "CHAINKG_STORE": self.store,
            "CHAINKG_DATA_DIR": str(self.data_dir),
            "NEO4J_URI": self.neo4j_uri,
            "NEO4J_USER": self.neo4j_user,
            "NEO4J_DATABASE": self.neo4j_database,
            "CHAINKG_READ_ONLY": "true" if self.read_only else "false",
        }
        if self.neo4j_password:
            env["NEO4J_PASSWORD"] = self.neo4j_password
        return env


S = TypeVar("S", bound=BaseSettings)


def load_model(cls: type[S], **given: object) -> S:
    """``cls`` from the environment and ``given`` values; a ConfigError naming the variable,
    the value given (never a secret's) and what it takes, in place of pydantic's report."""
    try:
        return cls(**given)
    except ValidationError as exc:
        raise settings_error(cls, exc) from None


def settings_error(cls: type[BaseSettings], exc: ValidationError) -> ConfigError:
    """The first problem of ``exc`` as a ConfigError with a hint."""
    first = exc.errors()[0]
    where = ".".join(str(x) for x in first["loc"]) or "settings"
    field = next(
        (f for name, f in cls.model_fields.items() if where in (name, f.validation_alias)),
        None,
    )
    secret = any(word in where.lower() for word in ("password", "secret", "key"))
    given = "" if secret or "input" not in first else f" (given {first['input']!r})"
    takes = f"{where} takes {field.description}" if field and field.description else ""
    default = field.get_default(call_default_factory=False) if field else None
    if field and default is not None and not callable(default):
        takes += f"{'; ' if takes else f'{where} '}defaults to {default}"
    return ConfigError(
        f"invalid setting {where}: {first['msg']}{given}",
        hint=f"{takes}: fix or unset it (see the README's configuration table)"
        if takes
        else "see the README's configuration table",
    )


def load_settings(**overrides: object) -> StoreSettings:
    """Settings from the environment, with non-None ``overrides`` (CLI options) on top."""
    return load_model(StoreSettings, **{k: v for k, v in overrides.items() if v is not None})
