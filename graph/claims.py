"""Claims on shared entities: which value a field takes when several owners name it (pure).

See docs/versions.md, "Claims". A claim is what one list version says of an entity: its
``values`` (fields) and ``links`` (LOCATED_IN, IN_PARK, CONCERNS targets). An admin's resolution wins, then
the roster's values (``base``), then the oldest claim that gives a value; an empty value
is no claim. Claims that give different values are reported as conflicts.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

Row = dict[str, Any]
LINK_TYPES = ("LOCATED_IN", "IN_PARK", "CONCERNS")
BASE = "roster"  # the name of the base claim in conflict reports


@dataclass(frozen=True)
class Claim:
    """One owner's values for an entity: ``owner`` is a version id (or ``roster``)."""

    owner: str
    values: Mapping[str, Any]
    links: Mapping[str, Any] = field(default_factory=dict)


@dataclass
class Resolved:
    """The values and links an entity takes, where each comes from, and the disagreements."""

    values: Row
    links: Row
    origin: dict[str, str]  # field (or @LINK) -> owner of the value used
    conflicts: dict[str, list[tuple[str, Any]]]  # field -> [(owner, value)] when they disagree


def _pick(
    name: str,
    candidates: list[tuple[str, Any]],
    resolution: Any,
    resolved_by: str,
    out: dict[str, Any],
    origin: dict[str, str],
    conflicts: dict[str, list[tuple[str, Any]]],
) -> None:
    given = [(owner, v) for owner, v in candidates if v is not None]
    distinct = {_hashable(v) for _, v in given}
    if len(distinct) > 1:
        conflicts[name] = given
    if resolution is not _NONE:
        out[name], origin[name] = resolution, resolved_by
    elif given:
        out[name], origin[name] = given[0][1], given[0][0]
    else:
        out[name] = None


_NONE = object()


def _hashable(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


def resolve(
    claims: Sequence[Claim],
    base: Mapping[str, Any] | None = None,
    resolutions: Mapping[str, Any] | None = None,
) -> Resolved:
    """The entity's values from ``claims`` (oldest first), the roster ``base`` and admin
    ``resolutions`` (field -> value; links as ``@LOCATED_IN`` ...).

    Only fields some claim (or the base) names are in ``values``; a field every claim
    leaves empty is None.
    """
    if len(claims) == 1 and not base and not resolutions:  # most entities: one owner
        c = claims[0]
        origin = {k: c.owner for k, v in c.values.items() if v is not None}
        links = {k: c.links[k] for k in LINK_TYPES if k in c.links}
        origin.update({f"@{k}": c.owner for k, v in links.items() if v is not None})
        return Resolved(dict(c.values), links, origin, {})
    resolutions = resolutions or {}
    base = base or {}
    values: Row = {}
    links: Row = {}
    origin: dict[str, str] = {}
    conflicts: dict[str, list[tuple[str, Any]]] = {}
    names: list[str] = list(base)
    for c in claims:
        names += [k for k in c.values if k not in names]
    for name in names:
        candidates = ([(BASE, base[name])] if base.get(name) is not None else []) + [
            (c.owner, c.values[name]) for c in claims if name in c.values
        ]
        _pick(name, candidates, resolutions.get(name, _NONE), "admin", values, origin, conflicts)
    for link in LINK_TYPES:
        candidates = [(c.owner, c.links[link]) for c in claims if link in c.links]
        if not candidates:
            continue
        key = f"@{link}"
        _pick(key, candidates, resolutions.get(key, _NONE), "admin", links, origin, conflicts)
        links[link] = links.pop(key)
    return Resolved(values, links, origin, conflicts)
