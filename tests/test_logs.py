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
    saved = (logger.handlers[:], logger.level)
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
        logger.handlers[:], logger.level = saved
        for name in ("uvicorn", "uvicorn.error"):
            logging.getLogger(name).handlers[:] = []


def test_loaders_log_what_they_wrote(store, caplog: pytest.LogCaptureFixture) -> None:
    from chainkg.loaders.roster_load import load_roster
    from chainkg.loaders.template_load import load_chain_templates

    caplog.set_level(logging.INFO, logger="chainkg.loaders")
    load_roster(store)
    load_chain_templates(store)
    records = [r for r in caplog.records if r.name.startswith("chainkg.loaders")]
    assert [r.getMessage() for r in records] == ["roster loaded", "chain templates loaded"]
    roster, templates = records
    assert (roster.clusters, roster.chains, roster.file, roster.store) == (
        10,
        30,
        "yuzhengban-2021-61.md",
        store.dialect,
    )
    assert (templates.chains, templates.store) == (30, store.dialect)
