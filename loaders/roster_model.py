"""Typed result of parsing the 61号 notice: the 双长制 roster (分工表) and its roles.

Everything here is a frozen value; the parser (``roster_parser``) builds it and the
graph loader turns it into rows. Every entity carries ``source`` (document number plus
a section/table locator such as ``附件 表 第12行`` or ``一、(二)2``) and ``line`` (1-based
line in the document text), so a reviewer can find where each fact came from.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Literal

OrgKind = Literal[
    "government", "enterprise", "association", "alliance", "university", "institute", "other"
]
RoleKey = Literal["general_chief", "chief", "responsible_unit", "alliance_chair", "deputy_chief"]
Cadence = Literal["semiannual", "quarterly", "monthly", "annual", "as_needed", "unspecified"]
# correction: a reviewed errata entry was applied; gap: the document leaves a value blank;
# normalisation: a mechanical fix (whitespace, de-duplication, column realignment);
# discrepancy: the document contradicts itself (reported, nothing changed).
NoteKind = Literal["correction", "gap", "normalisation", "discrepancy"]


@dataclass(frozen=True)
class DocumentMeta:
    """The notice itself: 文号, title, issuing office and 印发 date."""

    number: str
    title: str
    issuer: str
    issued: datetime.date
    line: int = 0  # line of the 文号


@dataclass(frozen=True)
class OrgRef:
    """An organisation named in the table, with its kind inferred from its name's suffix."""

    name: str
    kind: OrgKind


@dataclass(frozen=True)
class Chain:
    """A key industrial chain 重点产业链 (one table row)."""

    seq: int  # 1-based position among the table's chain rows, in document order
    name: str
    future: bool  # marked * : 拟培育的未来产业链
    cluster_seq: int
    responsible_units: tuple[OrgRef, ...]  # 群链长责任单位
    alliance_chairs: tuple[OrgRef, ...]  # 盟会长单位
    source: str
    line: int


@dataclass(frozen=True)
class Cluster:
    """A major cluster 重大集群 with its chiefs 群链长 and chains."""

    seq: int
    name: str
    chiefs: tuple[str, ...]  # empty when the document leaves the cell blank (see notes)
    chains: tuple[Chain, ...]
    source: str
    line: int


@dataclass(frozen=True)
class Duty:
    """One numbered duty of a role; ``text`` is the full item text without its number."""

    number: str  # "1", "(2)", ...
    title: str  # the item's first sentence (its bold-ish title), "" if it has none
    text: str
    source: str  # e.g. "豫政办〔2021〕61号 一、(二)2"
    line: int = 0


@dataclass(frozen=True)
class Role:
    """A role of the 双长制 and who holds it, as section 一 (or 三) of the notice sets it."""

    key: RoleKey
    name: str  # 总群链长, 群链长, 群链长责任单位, 盟会长单位, 副群链长
    held_by: str  # e.g. 省长, 副省长, 相关省直部门
    duties: tuple[Duty, ...]
    source: str
    line: int = 0
    quota: str = ""  # how many per chain/cluster, as written (e.g. "1—2个"); "" if not said
    optional: bool = False  # 副群链长 "可由...担任"


@dataclass(frozen=True)
class Mechanism:
    """A meeting mechanism of 二、工作机制 (一) with its cadence."""

    key: str
    name: str
    convener: str  # as written, "" when the notice names none (see notes)
    cadence: Cadence
    cadence_text: str  # the Chinese words the cadence was read from
    source: str
    line: int = 0


@dataclass(frozen=True)
class Note:
    """A reviewer-facing remark on how the roster differs from the raw text, or a gap in it."""

    kind: NoteKind
    text: str
    source: str
    line: int | None = None


@dataclass(frozen=True)
class Roster:
    """The whole parsed notice."""

    document: DocumentMeta
    general_chief: str  # 总群链长; "" if the table does not give one (see notes)
    clusters: tuple[Cluster, ...]
    roles: tuple[Role, ...]
    mechanisms: tuple[Mechanism, ...]
    notes: tuple[Note, ...]
    general_chief_source: str = ""
    general_chief_line: int = 0

    @property
    def chains(self) -> tuple[Chain, ...]:
        """All chains in cluster order."""
        return tuple(chain for cluster in self.clusters for chain in cluster.chains)

    def cluster(self, seq: int) -> Cluster:
        """The cluster with this 序号; KeyError if absent."""
        for cluster in self.clusters:
            if cluster.seq == seq:
                return cluster
        raise KeyError(seq)

    def role(self, key: str) -> Role:
        """The role with this key; KeyError if absent."""
        for role in self.roles:
            if role.key == key:
                return role
        raise KeyError(key)
