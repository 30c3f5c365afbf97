"""Structured logging: JSON lines with the record's facts as fields."""

from __future__ import annotations

import json
import logging

import pytest

from chainkg.logs import JsonFormatter, configure_logging


def test_a_record_is_one_json_line_with_its_extra_fields() -> None:
    record = logging.makeLogRecord(
        {
            "name": "chainkg.api.access",
            "levelno": logging.INFO,
            "levelname": "INFO",
            "msg": "request",
            "created": 1_780_000_000.0,
            "request_id": "r1",
            "status": 200,
            "route": "/chains/{chain}",
        }
    )
    assert json.loads(JsonFormatter().format(record)) == {
        "time": "2026-05-28T20:26:40.000+00:00",
        "level": "info",
        "logger": "chainkg.api.access",
        "message": "request",
        "request_id": "r1",
        "status": 200,
        "route": "/chains/{chain}",
    }


def test_configure_logging_writes_chainkg_records_to_stderr(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    logger = logging.getLogger("chainkg")
    saved = (logger.handlers[:], logger.level, logger.propagate)
    monkeypatch.setenv("CHAINKG_LOG_LEVEL", "info")
    try:
        configure_logging()
        logging.getLogger("chainkg.loaders.test").info("loaded", extra={"rows": 3})
        logging.getLogger("chainkg.loaders.test").debug("not shown")
        lines = capsys.readouterr().err.splitlines()
        assert [{k: v for k, v in json.loads(line).items() if k != "time"} for line in lines] == [
            {"level": "info", "logger": "chainkg.loaders.test", "message": "loaded", "rows": 3}
        ]
    finally:
        logger.handlers[:], logger.level, logger.propagate = saved[0], saved[1], saved[2]
        for name in ("uvicorn", "uvicorn.error"):
            logging.getLogger(name).handlers[:] = []
            logging.getLogger(name).propagate = True
