"""A batch of shaped rows to write as one atomic unit."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

Row = dict[str, Any]


@dataclass(frozen=True)
class RelRows:
    """Rows of one relationship type between two labels (each row has ``from_id`` and ``to_id``)."""

    type: str
    from_label: str
    to_label: str
    rows: list[Row]


@dataclass
class GraphBatch:
    """Nodes per label and relationship rows, written nodes first in one transaction.

    With ``replaces`` set to a source name, writing the batch also removes the
    nodes and relationships that earlier loads of that source made and this
    batch no longer has, so a corrected source leaves no stale facts behind.
    """

    nodes: dict[str, list[Row]] = field(default_factory=dict)
    rels: list[RelRows] = field(default_factory=list)
    replaces: str | None = None

    def add_nodes(self, label: str, rows: list[Row]) -> None:
        """Queue node rows of ``label``."""
        self.nodes.setdefault(label, []).extend(rows)

    def add_rels(self, type_: str, from_label: str, to_label: str, rows: list[Row]) -> None:
        """Queue relationship rows of ``type_`` from ``from_label`` to ``to_label``."""
        self.rels.append(RelRows(type_, from_label, to_label, rows))

    def size(self) -> int:
        """Total rows in the batch."""
        return sum(len(r) for r in self.nodes.values()) + sum(len(r.rows) for r in self.rels)
