"""API keys: random tokens given out once, kept server-side only as SHA-256 hashes.

The file (``api-keys.json``) holds one record per key: id, label, role,
organisation (for ``unit`` keys), the token's hash, when it was created and
whether it was revoked. Roles: ``viewer`` reads; ``unit`` also writes the lists
of the chains its organisation is responsible for (RESPONSIBLE_FOR in the
roster); ``admin`` may do everything.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import secrets
import threading
from dataclasses import asdict, dataclass
from enum import StrEnum
from pathlib import Path

from chainkg.errors import ConfigError

TOKEN_PREFIX = "ckg_"


class Role(StrEnum):
    """What a key may do."""

    viewer = "viewer"
    unit = "unit"
    admin = "admin"


@dataclass(frozen=True)
class ApiKey:
    """A key's record (never the token itself)."""

    id: str
    name: str
    role: Role
    org: str | None
    hash: str
    created: str
    revoked: bool = False

    def public(self) -> dict[str, object]:
        """The record without its hash, for listings."""
        data = asdict(self)
        data.pop("hash")
        data["role"] = self.role.value
        return data


def hash_token(token: str) -> str:
    """The SHA-256 hex digest under which a token is stored."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_token() -> str:
    """A fresh token: the prefix and 32 random bytes, URL-safe."""
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


class KeyFile:
    """The keys file: read on demand (re-read when it changes), written atomically."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()
        self._cache: tuple[tuple[int, int], list[ApiKey]] | None = None

    def load(self) -> list[ApiKey]:
        """Every key record, revoked ones included; [] when the file does not exist."""
        try:
            stat = self.path.stat()
            mtime = (stat.st_mtime_ns, stat.st_size)
        except FileNotFoundError:
            return []
        with self._lock:
            if self._cache and self._cache[0] == mtime:
                return self._cache[1]
            try:
                raw = json.loads(self.path.read_text(encoding="utf-8"))
                keys = [ApiKey(**{**r, "role": Role(r["role"])}) for r in raw["keys"]]
            except (OSError, ValueError, KeyError, TypeError) as exc:
                raise ConfigError(
                    f"the API keys file {self.path} is unreadable: {exc}",
                    hint="fix or remove it and add keys again with `chainkg keys add`",
                ) from None
            self._cache = (mtime, keys)
            return keys

    def active(self) -> list[ApiKey]:
        """The keys not revoked."""
        return [k for k in self.load() if not k.revoked]

    def _save(self, keys: list[ApiKey]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(
            json.dumps({"keys": [asdict(k) for k in keys]}, ensure_ascii=False, indent=2),
            encoding="utf-8",
        )
        os.chmod(tmp, 0o600)
        tmp.replace(self.path)
        self._cache = None

    def add(self, role: Role, name: str, org: str | None = None) -> tuple[ApiKey, str]:
        """Create a key; returns its record and the token (shown once, never stored)."""
        if role is Role.unit and not org:
            raise ConfigError(
                "a unit key needs the organisation it writes for",
                hint="give --org with the unit's name as in the roster, e.g. 省工业和信息化厅",
            )
        if role is not Role.unit and org:
            raise ConfigError(f"only unit keys carry an organisation (role {role.value!r})")
        token = new_token()
        key = ApiKey(
            id=secrets.token_hex(4),
            name=name,
            role=role,
            org=org,
            hash=hash_token(token),
            created=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        )
        self._save([*self.load(), key])
        return key, token

    def revoke(self, key_id: str) -> ApiKey:
        """Mark a key revoked; ConfigError naming the known ids if there is none."""
        keys = self.load()
        for i, k in enumerate(keys):
            if k.id == key_id:
                revoked = ApiKey(**{**asdict(k), "revoked": True})
                keys = [*keys[:i], revoked, *keys[i + 1 :]]
                self._save(keys)
                return revoked
        known = ", ".join(k.id for k in keys) or "none"
        raise ConfigError(f"no API key with id {key_id!r}; known: {known}")

    def verify(self, token: str) -> ApiKey | None:
        """The active key whose hash matches ``token``, else None."""
        digest = hash_token(token)
        for k in self.active():
            if secrets.compare_digest(k.hash, digest):
                return k
        return None
