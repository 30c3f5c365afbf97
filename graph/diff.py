"""What changed between two versions of a list (pure): entries added, removed, changed."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

Row = dict[str, Any]
_NOT_COMPARED = frozenset({"ref", "source", "label"})


def _flat(entry: Mapping[str, Any]) -> Row:
    out: Row = {}
    for key, value in entry.items():
        if key in _NOT_COMPARED:
            continue
        if isinstance(value, Mapping):
            for k, v in value.items():
                out[k] = v
        else:
            out[key] = value
    return out


@dataclass
class ListDiff:
    """Entries only in ``to`` (added), only in ``from`` (removed), in both with other values."""

    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changed: dict[str, dict[str, tuple[Any, Any]]] = field(default_factory=dict)

    def to_dict(self) -> Row:
        """The JSON shape: changed fields as {"from": old, "to": new}."""
        return {
            "added": self.added,
            "removed": self.removed,
            "changed": {
                eid: {f: {"from": a, "to": b} for f, (a, b) in fields.items()}
                for eid, fields in self.changed.items()
            },
        }

    def counts(self) -> Row:
        """How many entries were added, removed, changed."""
        return {
            "added": len(self.added),
            "removed": len(self.removed),
            "changed": len(self.changed),
        }


def diff_entries(before: Mapping[str, Row], after: Mapping[str, Row]) -> ListDiff:
    """Compare two versions' entries by id; fields compare values, links and segments."""
    out = ListDiff(added=sorted(set(after) - set(before)), removed=sorted(set(before) - set(after)))
    for eid in sorted(set(before) & set(after)):
        if before[eid] == after[eid]:  # equal entries have equal fields (a reload: all of them)
            continue
        a, b = _flat(before[eid]), _flat(after[eid])
        fields = {k: (a.get(k), b.get(k)) for k in sorted(set(a) | set(b)) if a.get(k) != b.get(k)}
        if fields:
            out.changed[eid] = fields
    return out
