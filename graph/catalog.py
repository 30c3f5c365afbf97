"""Load the questions in ``queries/*.cypher`` once, with their engine variants.

The catalog sits in ``graph/`` so that every layer above the store (loaders
validating against the graph, queries, viz, api) can run named questions; the
``.cypher`` files themselves are package data of ``chainkg.queries``.

Each file starts with a header of ``//`` comment lines: what the query answers,
its parameters and its columns. ``name.cypher`` serves every engine unless a
``name.<dialect>.cypher`` beside it gives that engine its own text.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from types import MappingProxyType

from chainkg.errors import ChainkgError
from chainkg.graph.cypher import DIALECTS, Cypher


def _header(text: str) -> str:
    lines = []
    for line in text.splitlines():
        if not line.startswith("//"):
            break
        lines.append(line[2:].strip())
    return "\n".join(lines).strip()


@cache
def all_queries() -> MappingProxyType[str, Cypher]:
    """Every query shipped in ``queries/``, by name."""
    files = {
        f.name: f.read_text(encoding="utf-8")
        for f in resources.files("chainkg.queries").iterdir()
        if f.name.endswith(".cypher")
    }
    out: dict[str, Cypher] = {}
    for filename, text in sorted(files.items()):
        stem = filename.removesuffix(".cypher")
        if stem.rsplit(".", 1)[-1] in DIALECTS:
            continue
        variants = {
            d: files[f"{stem}.{d}.cypher"] for d in DIALECTS if f"{stem}.{d}.cypher" in files
        }
        out[stem] = Cypher(stem, text, MappingProxyType(variants), _header(text))
    return MappingProxyType(out)


def query(name: str) -> Cypher:
    """The query called ``name`` (the file ``queries/<name>.cypher``)."""
    try:
        return all_queries()[name]
    except KeyError:
        known = ", ".join(sorted(all_queries()))
        raise ChainkgError(f"no query named {name!r}; known: {known}") from None
