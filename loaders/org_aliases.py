"""The alias table from the user's side: names, USCCs and TOML files in, merges out.

``chainkg orgs alias|merge|unmerge|aliases|candidates`` call these. Names are cleaned as
list cells are (loaders/text_clean.py), so an alias matches the rows it is meant for;
an organisation may also be named by its id (``org:...``) or its 统一社会信用代码.
The graph side (what a merge does, how it is undone) is graph/aliases.py.

The alias file (TOML, e.g. ``org-aliases.toml``; docs/lists.md) lists entries::

    [[alias]]
    name = "郑州宇通客车股份有限公司"   # another name ...
    of = "宇通客车股份有限公司"         # ... of this organisation (name, id or USCC)
    note = "同一企业，2024年企业清单写法"

Applying a file records every entry in one transaction (all or nothing); entries
already recorded change nothing.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz, process

from chainkg.errors import InputError, NotFoundError, Problem
from chainkg.graph import aliases
from chainkg.graph.cypher import Cypher
from chainkg.graph.ids import org_id
from chainkg.graph.store import GraphStore
from chainkg.graph.versions import Writer
from chainkg.loaders.places import strip_place_prefix
from chainkg.loaders.text_clean import TextError, clean_org_name, name_key
from chainkg.loaders.uscc import normalize_uscc, uscc_problem

Row = dict[str, Any]
_BY_USCC = Cypher(
    "aliases_org_by_uscc", "MATCH (o:Organization {uscc: $uscc}) RETURN o.id AS id, o.name AS name"
)
_BY_ID = Cypher(
    "aliases_org_by_id", "MATCH (o:Organization {id: $id}) RETURN o.id AS id, o.name AS name"
)
_ORGS = Cypher(
    "aliases_org_names",
    "MATCH (o:Organization) WHERE coalesce(o.synthetic, false) = false "
    "RETURN o.id AS id, o.name AS name, o.uscc AS uscc ORDER BY id",
)


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def clean_name(text: str, what: str = "name") -> str:
    """An organisation name cleaned as list cells are; InputError when it cannot be."""
    try:
        name = clean_org_name(text)
    except TextError as exc:
        raise InputError([Problem(what, f"{text!r} {exc}", column=what)]) from None
    if not name:
        raise InputError([Problem(what, "an organisation name is needed", column=what)])
    return name


def find_org(store: GraphStore, text: str) -> tuple[str, str]:
    """(id, name) of the organisation ``text`` names: an id ``org:...``, a USCC or a name."""
    if text.startswith("org:"):
        rows = store.read(_BY_ID, {"id": text})
    else:
        code = normalize_uscc(text)
        if len(code) == 18 and code.isascii() and code.isalnum():
            bad = uscc_problem(code)
            if bad:
                raise InputError([Problem("target", bad, column="of")])
            rows = store.read(_BY_USCC, {"uscc": code})
        else:
            rows = store.read(_BY_ID, {"id": org_id(clean_name(text, "of"))})
    if not rows:
        raise NotFoundError(
            f"no organisation {text!r} in the graph",
            hint="give its name as the graph spells it, its id (org:...) or its 统一社会信用代码",
        )
    return rows[0]["id"], rows[0]["name"]


def alias(
    store: GraphStore,
    name: str,
    of: str,
    *,
    writer: Writer | None = None,
    note: str | None = None,
    must_exist: bool = False,
) -> Row:
    """Record ``name`` as another name of the organisation ``of`` (merging an organisation
    of that name, if there is one). ``must_exist``: only merge (``chainkg orgs merge``)."""
    writer = writer or Writer()
    cleaned = clean_name(name)
    target, _ = find_org(store, of)
    with store.transaction() as tx:
        return aliases.add_alias(
            tx, cleaned, org_id(cleaned), target, writer, _now(), note=note, must_exist=must_exist
        )


def unmerge(store: GraphStore, name: str, *, writer: Writer | None = None) -> Row:
    """Undo the alias ``name`` (a name or an id ``org:...``): what it merged comes back."""
    alias_id = name if name.startswith("org:") else org_id(clean_name(name))
    with store.transaction() as tx:
        return aliases.unmerge(tx, alias_id, writer or Writer(), _now())


@dataclass(frozen=True)
class AliasEntry:
    """One entry of an alias file: ``name`` is another name of ``of``."""

    name: str
    of: str
    note: str | None
    line: str  # where it is, for messages: "entry 3"


def read_alias_file(path: Path) -> list[AliasEntry]:
    """The entries of a TOML alias file; InputError naming each bad entry."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise InputError(
            [Problem(path.name, f"cannot read the alias file: {exc}")],
            hint='write entries as [[alias]] tables with name = "..." and of = "..."',
        ) from None
    items = data.get("alias")
    if not isinstance(items, list) or not items:
        raise InputError(
            [Problem(path.name, "no [[alias]] entries")],
            hint='write entries as [[alias]] tables with name = "..." and of = "..."',
        )
    out: list[AliasEntry] = []
    problems: list[Problem] = []
    for i, item in enumerate(items, 1):
        where = f"entry {i}"
        if not isinstance(item, dict):
            problems.append(Problem(path.name, f"{where} is not a table"))
            continue
        unknown = sorted(set(item) - {"name", "of", "note"})
        if unknown:
            problems.append(
                Problem(path.name, f"{where}: unknown keys {unknown}; use name, of, note")
            )
        for key in ("name", "of"):
            if not isinstance(item.get(key), str) or not item[key].strip():
                problems.append(Problem(path.name, f"{where}: {key} must be a name", column=key))
        note = item.get("note")
        if note is not None and not isinstance(note, str):
            problems.append(Problem(path.name, f"{where}: note must be text", column="note"))
        if not any(p.message.startswith(where) for p in problems):
            out.append(AliasEntry(item["name"], item["of"], note, where))
    if problems:
        raise InputError(problems, hint="fix the entries named and apply the file again")
    return out


def apply_alias_file(store: GraphStore, path: Path, *, writer: Writer | None = None) -> list[Row]:
    """Record every entry of the alias file ``path`` in one transaction (all or nothing)."""
    writer = writer or Writer()
    entries = read_alias_file(path)
    resolved = []
    problems: list[Problem] = []
    for e in entries:
        try:
            resolved.append((e, clean_name(e.name), find_org(store, e.of)[0]))
        except (InputError, NotFoundError) as exc:
            problems.append(Problem(path.name, f"{e.line} ({e.name!r}): {exc}"))
    if problems:
        raise InputError(problems, hint="fix the entries named; nothing was recorded")
    now = _now()
    with store.transaction() as tx:
        return [
            aliases.add_alias(tx, name, org_id(name), target, writer, now, note=e.note)
            for e, name, target in resolved
        ]


# ------------------------------------------------------------------ candidates


def find_candidates(orgs: list[Row], *, threshold: float = 90.0) -> list[Row]:
    """Probable duplicate pairs among ``orgs`` (rows: id, name, uscc), best first (pure).

    Kinds: ``same_uscc`` (one code, two organisations), ``place_prefix`` (equal once a place
    prefix is taken off), ``similar`` (rapidfuzz ratio of the names without a place prefix >= ``threshold``,
    compared within the same first character), ``group`` (a company
    sharing a 集团's brand: a hint only, they are often two organisations).
    """
    found: dict[tuple[str, str], Row] = {}

    def add(a: Row, b: Row, kind: str, score: float) -> None:
        x, y = sorted((a, b), key=lambda r: r["id"])
        key = (x["id"], y["id"])
        if key not in found:
            found[key] = {"a": x["name"], "b": y["name"], "kind": kind, "score": round(score, 1)}

    by_code: dict[str, list[Row]] = defaultdict(list)
    by_core: dict[str, list[Row]] = defaultdict(list)
    stems: dict[str, list[tuple[str, Row]]] = defaultdict(list)
    for o in orgs:
        if o.get("uscc"):
            by_code[o["uscc"]].append(o)
        core = name_key(strip_place_prefix(o["name"])[1])
        if core:
            stems[core[0]].append((core, o))
    for group in by_code.values():
        for other in group[1:]:
            add(group[0], other, "same_uscc", 100.0)
    for o in orgs:
        by_core[name_key(strip_place_prefix(o["name"])[1])].append(o)
    for group in by_core.values():
        for other in group[1:]:
            add(group[0], other, "place_prefix", 100.0)
    for block in stems.values():
        if len(block) < 2:
            continue
        names = [s for s, _ in block]
        matrix = process.cdist(names, names, scorer=fuzz.ratio, score_cutoff=threshold, workers=1)
        for i, j in zip(*matrix.nonzero(), strict=True):
            if i < j:
                add(block[i][1], block[j][1], "similar", float(matrix[i, j]))
    brands: dict[str, list[Row]] = defaultdict(list)
    for o in orgs:
        core = strip_place_prefix(o["name"])[1]
        if "集团" in core and len(core.split("集团")[0]) >= 2:
            brands[core.split("集团")[0]].append(o)
    for o in orgs:
        core = strip_place_prefix(o["name"])[1]
        if "集团" in core:
            continue
        for n in range(2, min(len(core), 12) + 1):
            for group in brands.get(core[:n], ()):
                add(group, o, "group", 0.0)
    order = {"same_uscc": 0, "place_prefix": 1, "similar": 2, "group": 3}
    return sorted(found.values(), key=lambda r: (order[r["kind"]], -r["score"], r["a"], r["b"]))


def candidates(store: GraphStore, *, threshold: float = 90.0) -> list[Row]:
    """Probable duplicate organisations in the graph (synthetic demo data left out)."""
    known = {r["alias_id"] for r in aliases.list_aliases(store.read)}
    orgs = [r for r in store.read(_ORGS) if r["id"] not in known]
    return find_candidates(orgs, threshold=threshold)
