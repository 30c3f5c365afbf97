"""Shared set-up of the API tests: a small graph, a keys file with one key per role, a client.

(No tests here; the name puts it among the API test files.)
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from fastapi.testclient import TestClient

from chainkg.api.app import create_app
from chainkg.api.keys import KeyFile, Role
from chainkg.api.settings import ApiSettings
from chainkg.config import StoreSettings
from chainkg.graph import ids
from chainkg.graph.store import GraphStore
from chainkg.loaders.roster_load import load_roster
from chainkg.loaders.template_load import load_chain_templates

OWN_CHAIN = "电力装备产业链"  # 省工业和信息化厅 is its responsible unit
OTHER_CHAIN = "新型显示和智能终端产业链"  # 省发展改革委's, not 省工业和信息化厅's
UNIT_ORG = "省工业和信息化厅"

STEEL = "甲电工钢有限公司"
TRAFO = "乙变压器股份有限公司"
GRID = "丙电网建设有限公司"
OUTSIDE = "丁铜材有限公司"
STEEL_USCC = "91410100MA44TEST01"


def org_row(name: str, **props: object) -> dict[str, object]:
    """An enterprise row (synthetic test data)."""
    return {
        "id": ids.org_id(name),
        "name": name,
        "kind": "enterprise",
        "source": "test",
        "synthetic": True,
        **props,
    }


def build_graph(store: GraphStore) -> None:
    """Roster, chain templates and four enterprises of 电力装备产业链 with SUPPLIES between them."""
    load_roster(store)
    load_chain_templates(store)
    seg = lambda name: ids.segment_id(OWN_CHAIN, name)  # noqa: E731
    with store.transaction() as tx:
        tx.upsert_nodes(
            "Organization",
            [
                org_row(
                    STEEL,
                    city="安阳市",
                    uscc=STEEL_USCC,
                    in_province=True,
                    leader=True,
                    revenue=120000.0,
                ),
                org_row(TRAFO, city="郑州市", in_province=True, listed=True, specialized=True),
                org_row(GRID, city="郑州市", in_province=True),
                org_row(OUTSIDE, city="宁波市", in_province=False),
            ],
        )
        tx.upsert_rels(
            "OPERATES_IN",
            "Organization",
            "Segment",
            [
                {
                    "from_id": ids.org_id(STEEL),
                    "to_id": seg("电工钢与铜铝导体材料"),
                    "source": "test",
                },
                {
                    "from_id": ids.org_id(OUTSIDE),
                    "to_id": seg("电工钢与铜铝导体材料"),
                    "source": "test",
                },
                {"from_id": ids.org_id(TRAFO), "to_id": seg("变压器与电抗器"), "source": "test"},
                {"from_id": ids.org_id(GRID), "to_id": seg("输配电网建设"), "source": "test"},
            ],
        )
        tx.upsert_rels(
            "SUPPLIES",
            "Organization",
            "Organization",
            [
                {
                    "from_id": ids.org_id(STEEL),
                    "to_id": ids.org_id(TRAFO),
                    "product": "取向硅钢",
                    "value": 5000.0,
                    "source": "test",
                },
                {
                    "from_id": ids.org_id(OUTSIDE),
                    "to_id": ids.org_id(TRAFO),
                    "product": "无氧铜杆",
                    "source": "test",
                },
                {
                    "from_id": ids.org_id(TRAFO),
                    "to_id": ids.org_id(GRID),
                    "product": "变压器",
                    "source": "test",
                },
            ],
        )


@contextmanager
def built_graph(tmp: Path, kind: str = "embedded") -> Iterator[tuple[GraphStore, Path]]:
    """A graph of ``kind`` ('embedded' in ``tmp``, or the test Neo4j) holding
    ``build_graph``'s data, open for the block."""
    from conftest import make_test_store

    store = make_test_store(kind, tmp)
    build_graph(store)
    try:
        yield store, tmp
    finally:
        store.close()


def make_keys(path: Path) -> dict[str, str]:
    """A keys file with a viewer, a unit (省工业和信息化厅) and an admin key; role -> token."""
    keys = KeyFile(path)
    return {
        "viewer": keys.add(Role.viewer, "viewer")[1],
        "unit": keys.add(Role.unit, "unit", UNIT_ORG)[1],
        "admin": keys.add(Role.admin, "admin")[1],
    }


def make_client(
    store: GraphStore, tmp_path: Path, **settings: object
) -> tuple[TestClient, dict[str, str]]:
    """A TestClient on ``store`` and the tokens of its keys."""
    tokens = make_keys(tmp_path / "api-keys.json")
    api = ApiSettings(
        keys_file=tmp_path / "api-keys.json",
        store=StoreSettings(data_dir=tmp_path / "unused"),
        **{"allowed_hosts": "testserver", **settings},
    )
    return TestClient(create_app(api, store)), tokens


def auth(token: str) -> dict[str, str]:
    """The Authorization header for a token."""
    return {"Authorization": f"Bearer {token}"}
