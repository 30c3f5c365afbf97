"""Stable node ids derived from what the source says.

The same input always gives the same ids, which is what makes loads
idempotent (MERGE on ``id``). Names are stripped of all whitespace first, as
line wraps in extracted tables leave stray spaces inside names.
"""

from __future__ import annotations

import functools


@functools.lru_cache(maxsize=262_144)  # a list load asks for each name several times
def clean_name(name: str) -> str:
    """``name`` without any whitespace (Chinese names contain none).

    ``str.split()`` splits on exactly the characters regex ``\\s`` matches (every code
    point checked), at a fraction of the cost.
    """
    return "".join(name.split())


def document_id(number: str) -> str:
    """Id of a document by its 文号."""
    return f"doc:{clean_name(number)}"


def province_id(name: str) -> str:
    """Id of a province by name."""
    return f"province:{clean_name(name)}"


def city_id(name: str) -> str:
    """Id of a city (省辖市, 济源示范区) by name."""
    return f"city:{clean_name(name)}"


def person_id(name: str) -> str:
    """Id of a person by name (the roster names each leader once)."""
    return f"person:{clean_name(name)}"


def cluster_id(name: str) -> str:
    """Id of a cluster (重大集群) by name."""
    return f"cluster:{clean_name(name)}"


def chain_id(name: str) -> str:
    """Id of a chain (重点产业链) by name."""
    return f"chain:{clean_name(name)}"


def segment_id(chain: str, name: str) -> str:
    """Id of a segment (环节): its name is unique within its chain only."""
    return f"segment:{clean_name(chain)}/{clean_name(name)}"


def org_id(name: str) -> str:
    """Id of an organisation by its registered name (unique in practice; the USCC is a property)."""
    return f"org:{clean_name(name)}"


def role_id(key: str) -> str:
    """Id of a 双长制 role by key (general_chief, chief, ...)."""
    return f"role:{key}"


def duty_id(role_key: str, number: str) -> str:
    """Id of a numbered duty of a role."""
    return f"duty:{role_key}/{clean_name(number)}"


def mechanism_id(key: str) -> str:
    """Id of a working mechanism by key."""
    return f"mechanism:{key}"


def note_id(document_number: str, position: int) -> str:
    """Id of the n-th note (correction or gap) recorded for a document."""
    return f"note:{clean_name(document_number)}/{position}"
