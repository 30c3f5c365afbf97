"""City deputy chiefs (副群链长) from a roster supplement file, on both stores."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from chainkg.errors import InputError
from chainkg.graph.store import GraphStore
from chainkg.loaders.ledger_policy import load_policy
from chainkg.loaders.meeting_store import load_deputies
from chainkg.loaders.roster_load import load_roster
from chainkg.queries.meetings import plan_calendar
from chainkg.queries.roster import read_roster

NOW = dt.datetime(2026, 3, 2, 9, 0)
FILE = """\
source = "平顶山市人民政府办公室关于明确副群链长的通知（示例）"
as_of = 2026-03-01
synthetic = true

[[deputy]]
chain = "尼龙新材料产业链"
city = "平顶山市"
name = "李示例"
title = "副市长"

[[deputy]]
chain = "尼龙新材料产业链"
city = "开封市"
name = "王示例"
"""


def _chain(roster: dict, name: str) -> dict:
    return next(ch for c in roster["clusters"] for ch in c["chains"] if ch["name"] == name)


def test_deputies_load_show_in_the_roster_and_attend_meetings(
    store: GraphStore, tmp_path: Path
) -> None:
    load_roster(store)
    path = tmp_path / "副群链长.toml"
    path.write_text(FILE, encoding="utf-8")
    assert load_deputies(store, path, now=NOW) == 2
    assert load_deputies(store, path, now=NOW) == 2  # the same file again changes nothing
    source = "平顶山市人民政府办公室关于明确副群链长的通知（示例）"
    # ordered by city name (code point order on both stores)
    assert _chain(read_roster(store), "尼龙新材料产业链")["deputies"] == [
        {
            "name": "李示例",
            "title": "副市长",
            "city": "平顶山市",
            "source": source,
            "synthetic": True,
        },
        {"name": "王示例", "title": None, "city": "开封市", "source": source, "synthetic": True},
    ]
    assert store.counts().relationships["DEPUTY_CHIEF_OF"] == 2
    meetings = plan_calendar(store, 2026, load_policy(), now=NOW)
    chief = next(m for m in meetings if m["id"] == "meeting:chief_meeting:新型材料:2026-03-16")
    assert chief["attendees"][-2:] == ["李示例（平顶山市副群链长）", "王示例（开封市副群链长）"]

    bad = tmp_path / "bad.toml"
    bad.write_text(
        'source = "x"\n[[deputy]]\nchain = "尼龙产业链"\ncity = "平顶山市"\nname = "甲"\n'
        '[[deputy]]\nchain = "尼龙新材料产业链"\nname = "乙"\n',
        encoding="utf-8",
    )
    with pytest.raises(InputError) as err:
        load_deputies(store, bad, now=NOW)
    assert [str(p) for p in err.value.problems] == ["bad.toml, row 2: [[deputy]] #2 lacks city"]
    bad.write_text(
        'source = "x"\n[[deputy]]\nchain = "尼龙产业链"\ncity = "平顶山市"\nname = "甲"\n',
        encoding="utf-8",
    )
    with pytest.raises(InputError) as err:
        load_deputies(store, bad, now=NOW)
    assert (
        str(err.value)
        == "bad.toml, row 1, column 'chain': no chain named '尼龙产业链' in the graph"
    )
    assert store.counts().relationships["DEPUTY_CHIEF_OF"] == 2
