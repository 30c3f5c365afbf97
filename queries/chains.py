"""Naming a chain (重点产业链): the one resolver every command, route and map uses.

A chain is found by its full name, its name without the 产业链 suffix, its id
(``chain:...``), or any part of its name that no other chain shares; whitespace does not
count. Anything else is a NotFoundError whose hint lists the closest names, so
``/chains/电力装备``, ``/chains/电力装备/findings`` and ``chainkg map --chain 电力装备`` all
mean 电力装备产业链.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field

from chainkg.errors import NotFoundError
from chainkg.graph import ids
from chainkg.graph.catalog import query
from chainkg.graph.store import GraphStore

SUFFIX = "产业链"


@dataclass(frozen=True)
class ChainRef:
    """A chain selected for analysis, with its cluster (重大集群).

    ``origin``: ``notice`` (a roster edition lists it) or ``registry`` (产业链登记表, not from
    the notice); ``id`` is stable across renames, ``former_names`` the names it had before.
    """

    name: str
    cluster: str | None
    # Not part of equality: a chain is picked by what it is called and where it belongs.
    id: str = field(default="", compare=False)
    origin: str = field(default="notice", compare=False)
    former_names: tuple[str, ...] = field(default=(), compare=False)

    @property
    def chain_id(self) -> str:
        """The node id (derived from the name when the row did not give it)."""
        return self.id or ids.chain_id(self.name)

    @property
    def from_registry(self) -> bool:
        """Declared by a chains registry, not listed by the notice."""
        return self.origin == "registry"


def list_chains(store: GraphStore) -> list[ChainRef]:
    """Every chain in the graph, in roster order."""
    return [
        ChainRef(
            r["chain"], r["cluster"], r["id"], r["origin"] or "notice", tuple(r["former"] or ())
        )
        for r in store.read(query("chain_list"))
    ]


def suggest(name: str, candidates: Iterable[str], n: int = 3) -> list[str]:
    """The closest names to ``name`` among ``candidates`` (containment first, then similarity)."""
    pool = sorted(set(candidates))
    contained = [c for c in pool if name and (name in c or c in name)]
    close = difflib.get_close_matches(name, pool, n=n, cutoff=0.3)
    out: list[str] = []
    for c in [*contained, *close]:
        if c not in out:
            out.append(c)
    return out[:n]


def not_found(kind: str, name: str, candidates: Iterable[str]) -> NotFoundError:
    """NotFoundError for an unknown ``kind`` name, the closest known names as the hint."""
    close = suggest(name, candidates)
    hint = f"did you mean: {'、'.join(close)}?" if close else "none is close; list them first"
    if not close and not list(candidates):
        hint = "the graph has none: load the roster first (chainkg load roster)"
    return NotFoundError(f"no {kind} named {name!r} in the graph", hint=hint)


def pick_chain(chains: list[ChainRef], text: str) -> ChainRef:
    """The chain ``text`` names among ``chains`` (pure; the rules in the module docstring)."""
    wanted = ids.clean_name(text)
    for c in chains:
        name = ids.clean_name(c.name)
        if wanted and wanted in (name, name.removesuffix(SUFFIX), ids.chain_id(c.name), c.id):
            return c
    for c in chains:  # a renamed chain answers to its former names (docs/roster.md)
        if wanted and any(wanted in (f, f.removesuffix(SUFFIX)) for f in c.former_names):
            return c
    containing = [c for c in chains if wanted and wanted in ids.clean_name(c.name)]
    if len(containing) == 1:  # e.g. 绿色食品 for 绿色食品（含冷链、休闲）产业链
        return containing[0]
    if containing:
        error = not_found("chain", text, (c.name for c in containing))
        error.hint = f"{text!r} is part of several: {'、'.join(c.name for c in containing)}"
        raise error
    raise not_found("chain", text, (c.name for c in chains))


def resolve_chain(store: GraphStore, text: str) -> ChainRef:
    """The chain ``text`` names in the graph; NotFoundError with close names otherwise."""
    return pick_chain(list_chains(store), text)


def resolve_chains(
    store: GraphStore,
    chain: str | None = None,
    *,
    cluster: str | None = None,
    all_chains: bool = False,
) -> list[ChainRef]:
    """The chains a command names: one chain, a cluster's chains, or all of them."""
    chains = list_chains(store)
    if all_chains:
        return chains
    if cluster is not None:
        picked = [c for c in chains if c.cluster == cluster]
        if not picked:
            raise not_found("cluster", cluster, (c.cluster for c in chains if c.cluster))
        return picked
    if chain is None:
        raise NotFoundError("no chain given", hint="name a chain, or use --cluster or --all")
    return [pick_chain(chains, chain)]
