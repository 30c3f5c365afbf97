"""The exceptions chainkg raises: one root, specific subclasses.

Every message says what was given and what to do about it; the CLI prints
``str(error)`` and, when set, ``error.hint`` on stderr and exits non-zero.
"""

from __future__ import annotations

from dataclasses import dataclass


class ChainkgError(Exception):
    """Root of every error chainkg raises on purpose."""

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.hint = hint


class ConfigError(ChainkgError):
    """A setting (environment variable, option, configuration file) is invalid."""


class StoreError(ChainkgError):
    """The graph store failed to do what was asked."""


class StoreUnavailableError(StoreError):
    """The store cannot be reached or opened (server down, wrong password, lock held)."""


class SchemaError(StoreError):
    """Data does not fit the schema (unknown label, property or relationship endpoint)."""


class RuleError(ChainkgError):
    """A request breaks a rule of the data: a step the ledger's status machine forbids, a
    date outside the holiday calendar (the API answers 422)."""


class NotFoundError(ChainkgError):
    """A named thing (chain, cluster, organisation, segment) is not in the graph."""


@dataclass(frozen=True)
class Problem:
    """One located problem in an input: where it is, what is wrong, how to fix it."""

    file: str
    message: str
    row: int | None = None
    column: str | None = None

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f", row {self.row}"
        if self.column:
            where += f", column {self.column!r}"
        return f"{where}: {self.message}"


class InputError(ChainkgError):
    """An input file is unreadable or invalid; ``problems`` lists every located problem."""

    def __init__(self, problems: list[Problem], *, hint: str | None = None) -> None:
        self.problems = list(problems)
        if len(self.problems) == 1:
            message = str(self.problems[0])
        else:
            shown = "\n".join(f"  {p}" for p in self.problems[:50])
            more = len(self.problems) - 50
            tail = f"\n  ... and {more} more" if more > 0 else ""
            message = f"{len(self.problems)} problems in the input:\n{shown}{tail}"
        super().__init__(message, hint=hint)


class RosterParseError(InputError):
    """The 61号 document's text could not be parsed into the 双长制 roster."""
