"""The audit trail (审计记录): every write records who, when, what and which version.

``record`` is the one function writers call, inside the write's own transaction, so the
entry commits with the write or not at all. ``who`` is the API key id or ``cli``.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from typing import Any

from chainkg.graph.cypher import Cypher

Row = dict[str, Any]


def _list(filters: tuple[str, ...]) -> Cypher:
    # Only the filters given: the embedded engine cannot type a null parameter.
    where = " AND ".join(f"a.{f} = ${f}" for f in filters)
    return Cypher(
        "audit_list",
        "MATCH (a:AuditEntry) "
        + (f"WHERE {where} " if where else "")
        + "RETURN a.id AS id, a.at AS at, a.who AS who, a.action AS action, "
        "a.target AS target, a.details AS details ORDER BY at DESC, id DESC LIMIT $limit",
    )


def record(
    tx: Any,
    who: str,
    action: str,
    target: str,
    details: Row | None = None,
    *,
    synthetic: bool = False,
) -> str:
    """Write one audit entry in ``tx``; returns its id.

    ``synthetic``: the write is of demo data (示例数据); the entry goes with the demo when
    ``chainkg demo`` replaces it.
    """
    now = dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")
    entry_id = f"audit:{now}:{uuid.uuid4().hex[:8]}"
    tx.upsert_nodes(
        "AuditEntry",
        [
            {
                "id": entry_id,
                "at": now,
                "who": who,
                "action": action,
                "target": target,
                "details": json.dumps(
                    details or {}, ensure_ascii=False, sort_keys=True, default=str
                ),
                "source": "chainkg audit",
                **({"synthetic": True} if synthetic else {}),
            }
        ],
    )
    return entry_id


def audit_entries(
    store: Any,
    *,
    who: str | None = None,
    action: str | None = None,
    target: str | None = None,
    limit: int = 100,
) -> list[Row]:
    """The latest audit entries, newest first, ``details`` decoded."""
    given = {k: v for k, v in (("who", who), ("action", action), ("target", target)) if v}
    rows = store.read(_list(tuple(given)), {**given, "limit": int(limit)})
    return [{**r, "details": json.loads(r["details"] or "{}")} for r in rows]
