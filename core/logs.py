"""Structured logging: one JSON object per line on stderr.

Modules log with ``logging.getLogger(__name__)`` and put facts in ``extra={...}``; this
formatter writes them as fields. Nothing secret is logged: no API keys or their hashes,
no passwords, no request bodies or query strings. The level comes from CHAINKG_LOG_LEVEL
(default: ``warning`` for commands, ``info`` for ``chainkg serve``).
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os

#: Attributes every LogRecord has; anything else on a record came from ``extra``.
_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime", "taskName"}


class JsonFormatter(logging.Formatter):
    """A record as one JSON line: time, level, logger, message, then its extra fields."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def configure_logging(default_level: str = "warning") -> None:
    """Send chainkg's (and uvicorn's) log records to stderr as JSON lines (they still reach
    the root logger's handlers, of which a plain chainkg process has none)."""
    level = os.environ.get("CHAINKG_LOG_LEVEL", default_level).upper()
    handler = logging.StreamHandler()
    handler.setFormatter(JsonFormatter())
    for name in ("chainkg", "uvicorn", "uvicorn.error"):
        logger = logging.getLogger(name)
        logger.handlers[:] = [handler]
        logger.setLevel(level if level in logging.getLevelNamesMapping() else "INFO")
