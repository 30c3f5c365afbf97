"""A Cypher statement with optional per-engine variants."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

DIALECTS = ("ladybug", "neo4j")


@dataclass(frozen=True)
class Cypher:
    """A named Cypher statement; ``variants`` hold engine-specific text where the engines differ.

    Stores pick the text for their own dialect, so nothing above ``graph/``
    needs to know which engine runs a query.
    """

    name: str
    text: str
    variants: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    doc: str = ""

    def for_dialect(self, dialect: str) -> str:
        """The text to run on ``dialect`` (its variant if there is one)."""
        return self.variants.get(dialect, self.text)

    @classmethod
    def of(cls, query: Cypher | str) -> Cypher:
        """Wrap a plain string as an unnamed statement."""
        return query if isinstance(query, Cypher) else cls("<inline>", query)
