"""Pure validation and shaping of list rows into a GraphBatch (no I/O).

``shape_table`` checks a read ``Table`` against its ``ListFormat`` and what the
graph already holds (a ``Context``: chains and segments, the organisations the
file refers to, cities, parks), and turns each valid row into node and
relationship rows with provenance. Every problem is located (file, row, column)
and says how to fix it; a row with a problem contributes nothing, so the caller
can load all-or-nothing or only the good rows.
"""

from __future__ import annotations

import datetime as dt
import difflib
import functools
import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from chainkg.errors import Problem
from chainkg.graph.batch import GraphBatch, Row
from chainkg.graph.ids import city_id, clean_name, org_id
from chainkg.graph.schema import SCHEMA
from chainkg.loaders.list_formats import (
    NEED_KINDS,
    NEED_UNITS,
    ColType,
    Column,
    ListFormat,
    header_unit,
    normalize_header,
)
from chainkg.loaders.list_reader import Table
from chainkg.loaders.places import Place, PlaceError, resolve_place, strip_place_prefix
from chainkg.loaders.text_clean import (
    CELL_LIMIT,
    NAME_LIMIT,
    TextError,
    clean_org_name,
    clean_text,
    name_key,
)
from chainkg.loaders.units import (
    UnitError,
    factor,
    family,
    parse_quantity,
    split_quantity,
    units_of,
)
from chainkg.loaders.uscc import CHARSET, normalize_uscc, uscc_problem

TEMPLATES_HINT = "load the chain templates first: chainkg load templates"
_SPLIT_SEGMENTS = re.compile(r"[、;；]")
_INDUSTRY_CODE = re.compile(r"^([A-T])?(\d{2,4})$")
_USCC_LIKE = re.compile(f"^[{CHARSET}]{{18}}$")
_TRUE = {"是", "y", "yes", "true", "1", "√", "✓", "✔", "t"}
_FALSE = {"否", "n", "no", "false", "0", "×", "✗", "✘", "f"}
_SUGGEST_LIMIT = 20_000  # difflib is linear in the choices; beyond this, suggest nothing

# Which column of a kind names an organisation its entry concerns, and in which role.
CONCERNS_ROLE: dict[str, tuple[str, str]] = {
    "projects": ("owner", "owner"),
    "platforms": ("host", "host"),
    "technologies": ("holder", "holder"),
    "talent": ("employer", "employer"),
    "targets": ("name", "target"),
    "needs": ("raised_by", "raised_by"),
}
# Columns holding an organisation's name: cleaned like registered names (full-width brackets).
ORG_NAME_KEYS = {"supplier", "customer", "owner", "host", "holder", "employer", "raised_by"}
ORG_KINDS = {"enterprises", "targets"}  # whose 名称 is an organisation's name
# Columns holding one name: at most NAME_LIMIT characters.
NAME_KEYS = ORG_NAME_KEYS | {"name", "title", "chain", "park"}


@functools.lru_cache(maxsize=65_536)  # chain and segment names repeat on every row
def match_key(name: str) -> str:
    """How chain and segment names are compared: no spaces, full-width brackets."""
    return clean_name(name).replace("(", "（").replace(")", "）")


def park_id(name: str) -> str:
    """Id of a park (园区) by name."""
    return f"park:{clean_name(name)}"


def list_entry_id(fmt: ListFormat, values: dict[str, Any]) -> str:
    """Stable id of a list entry, from the values that identify it (e.g. project: chain + name)."""
    prefix = {
        "Park": "park",
        "Project": "project",
        "Platform": "platform",
        "Technology": "technology",
        "Talent": "talent",
        "InvestmentTarget": "target",
        "Need": "need",
    }[fmt.label]
    if fmt.label in ("Park", "Platform"):
        # One park or platform may serve several chains: one node, one LISTED_FOR per chain.
        return f"{prefix}:{clean_name(values['name'])}"
    parts = [clean_name(str(values.get(k) or "")) for k in _ID_KEYS[fmt.label]]
    return f"{prefix}:" + "/".join(parts)


# What makes a list entry's id, chain first (so ids sort by chain).
_ID_KEYS = {
    "Project": ("chain", "name"),
    "Technology": ("chain", "name"),
    "Talent": ("chain", "name", "employer"),
    "InvestmentTarget": ("chain", "name"),
    "Need": ("kind", "chain", "raised_by", "title"),
}


@dataclass(frozen=True)
class SegmentInfo:
    """A segment (环节) in the graph."""

    id: str
    name: str
    industry_codes: tuple[str, ...] = ()
    description: str = ""


@dataclass
class ChainInfo:
    """A chain in the graph and its segments by match key."""

    id: str
    name: str
    segments: dict[str, SegmentInfo] = field(default_factory=dict)
    key: str = ""  # the name the id derives from (docs/roster.md); "" when it is ``name``

    @property
    def version_key(self) -> str:
        """The chain as list versions and entry ids spell it: stable across renames."""
        return self.key or self.name


@dataclass
class Context:
    """What shaping needs to know about the graph, and what earlier files of the set added.

    ``orgs`` maps organisation ids to names and ``usccs`` codes to ids; both hold
    the graph's organisations the files refer to and grow with every valid
    enterprise row shaped, so later files of the set (supplies) find them.
    """

    as_of: dt.date
    loaded_at: str
    chains: dict[str, ChainInfo] = field(default_factory=dict)
    orgs: dict[str, str] = field(default_factory=dict)
    usccs: dict[str, str] = field(default_factory=dict)
    # The alias table (graph/aliases.py): alias id -> (target id, target name).
    aliases: dict[str, tuple[str, str]] = field(default_factory=dict)
    cities: set[str] = field(default_factory=set)
    parks: set[str] = field(default_factory=set)
    synthetic: bool = False
    # Ids of nodes this file set already writes, per label (to write each stub once).
    written: dict[str, set[str]] = field(default_factory=dict)


@dataclass
class ShapedFile:
    """One file's shaped rows, its problems (errors) and warnings, and its row counts."""

    file: str
    kind: str
    rows_read: int = 0
    rows_loaded: int = 0
    batch: GraphBatch = field(default_factory=GraphBatch)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    encoding: str | None = None
    # What each valid row says, per chain: (chain name or "*", entry id, entry) — the content
    # of the list versions this file gives (graph/versions.py, docs/versions.md).
    entries: list[tuple[str, str, Row]] = field(default_factory=list)
    # What the reader and shaper detected, converted and normalised, for the load summary.
    detected: list[str] = field(default_factory=list)

    @property
    def rows_skipped(self) -> int:
        """Rows read but not loaded because of a problem."""
        return self.rows_read - self.rows_loaded


def suggest(word: str, choices: Iterable[str]) -> str:
    """``; closest: a, b`` for the choices most like ``word`` (empty when none is close)."""
    pool = list(choices)
    if len(pool) > _SUGGEST_LIMIT:
        return ""
    close = difflib.get_close_matches(word, pool, n=3, cutoff=0.4)
    return f"; closest: {', '.join(close)}" if close else ""


# ---------------------------------------------------------------- cell values


class CellError(ValueError):
    """A cell's value does not fit its column (the message says what would)."""


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime):
        value = value.date()
    text = str(value).strip()
    return text or None


def _number(value: Any, column: Column, given: str | None = None) -> float:
    shown = given or column.unit
    unit = f" in {shown}" if shown else ""
    if isinstance(value, bool):
        raise CellError(f"{column.header} must be a number{unit}, got {value!r}")
    try:
        number = parse_quantity(value, column.unit, given)
    except UnitError as exc:
        reason = str(exc)
        if reason.startswith("unit"):
            raise CellError(f"{column.header}: {reason}, got {_text(value)!r}") from None
        if not any(ch.isdigit() for ch in str(value)):
            raise CellError(
                f"{column.header} must be a number{unit}, got {_text(value)!r}"
            ) from None
        raise CellError(
            f"{column.header} must be one number{unit} (such as 1,200 or 1.2亿), got "
            f"{_text(value)!r}: ranges, 约/左右 and several numbers are not read"
        ) from None
    if math.isnan(number) or math.isinf(number) or number < 0:
        raise CellError(f"{column.header} must be a number ≥ 0{unit}, got {_text(value)!r}")
    return number


def _whole(value: Any, column: Column, given: str | None = None) -> int:
    try:
        number = _number(value, column, given)
    except CellError as exc:
        if ": unit" in str(exc):
            raise
        raise CellError(f"{column.header} must be a whole number, got {_text(value)!r}") from None
    if not number.is_integer():
        raise CellError(f"{column.header} must be a whole number, got {_text(value)!r}")
    return int(number)


def parse_flag(value: Any, column: Column) -> bool:
    """A yes/no cell: 是/否, Y/N, true/false, 1/0, √/×."""
    if isinstance(value, bool):
        return value
    text = (_text(value) or "").lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise CellError(
        f"{column.header} must be 是 or 否 (also Y/N, true/false, 1/0, √), got {text!r}"
    )


def parse_cell(value: Any, column: Column, unit: str | None = None) -> Any:
    """The typed value of a non-empty cell; CellError saying what was expected.

    ``unit``: the unit the column's header names (``营业收入（亿元）``); numbers are
    converted from it (or from a unit written in the cell) to the column's own unit.
    """
    kind = column.type
    if kind is ColType.NUMBER:
        return _number(value, column, unit)
    if kind is ColType.INT:
        return _whole(value, column, unit)
    if kind is ColType.YEAR:
        year = _whole(value, column)
        if not 1900 <= year <= 2100:
            raise CellError(f"{column.header} must be a year like 2023, got {_text(value)!r}")
        return year
    if kind is ColType.FLAG:
        return parse_flag(value, column)
    text = _text(value)
    assert text is not None
    text = clean_text_cell(text, column)
    if kind is ColType.USCC:
        code = normalize_uscc(text)
        problem = uscc_problem(code)
        if problem:
            raise CellError(problem)
        return code
    if kind is ColType.INDUSTRY_CODE:
        code = text.upper().replace(" ", "")
        if not _INDUSTRY_CODE.match(code):
            raise CellError(
                f"{column.header} must be a GB/T 4754-2017 code such as C3841 or 3841, got {text!r}"
            )
        return code
    if kind is ColType.PROVINCE:
        if text in ("省内", "内"):
            return True
        if text in ("省外", "外"):
            return False
        try:
            return parse_flag(text, column)
        except CellError:
            raise CellError(f"{column.header} must be 省内 or 省外, got {text!r}") from None
    return text


def _ratio(ratio: Any) -> str:
    value = float(ratio)
    return f"{int(value)}" if value.is_integer() else f"{value:g}"


def clean_text_cell(text: str, column: Column, org: bool | None = None) -> str:
    """A text cell cleaned (text_clean) and held to its length limit; CellError otherwise.

    ``org``: the cell names an organisation (default: the column is one of ORG_NAME_KEYS).
    """
    if len(text) > CELL_LIMIT:
        raise CellError(
            f"{column.header} has {len(text):,} characters; a cell holds at most {CELL_LIMIT:,}: "
            "shorten it"
        )
    try:
        if org is None:
            org = column.key in ORG_NAME_KEYS
        cleaned = clean_org_name(text) if org else clean_text(text)
    except TextError as exc:
        raise CellError(f"{column.header} {exc}") from None
    if column.key in NAME_KEYS and len(cleaned) > NAME_LIMIT:
        raise CellError(
            f"{column.header} has {len(cleaned)} characters; a name has at most {NAME_LIMIT}: "
            "is it a description in the name column?"
        )
    return cleaned


def code_digits(code: str) -> str:
    """The digits of a GB/T 4754 code (``C3841`` -> ``3841``)."""
    return code.lstrip("ABCDEFGHIJKLMNOPQRST")


def segments_for_code(chain: ChainInfo, code: str) -> list[SegmentInfo]:
    """The chain's segments whose industry codes cover ``code`` (either may be the coarser)."""
    digits = code_digits(code)
    found = []
    for seg in chain.segments.values():
        for c in seg.industry_codes:
            d = code_digits(c.upper())
            if d and (digits.startswith(d) or d.startswith(digits)):
                found.append(seg)
                break
    return found


_KEYWORD_SPLIT = re.compile(r"[、/与及和,，;；（）()\s]+")
_GENERIC = {"制造", "生产", "加工", "产品", "服务", "系统", "设备", "材料", "应用", "其他"}


def segment_keywords(seg: SegmentInfo) -> set[str]:
    """Words of a segment's name and description that name its products (2+ characters)."""
    words = set()
    for text in (seg.name, seg.description):
        for w in _KEYWORD_SPLIT.split(text or ""):
            w = w.strip()
            if len(w) >= 2 and w not in _GENERIC:
                words.add(w)
    return words


def narrow_by_keywords(segments: list[SegmentInfo], text: str) -> list[SegmentInfo]:
    """The segments (matched by industry code) whose product keywords occur in ``text``.

    ``text`` is what the row says the firm makes (its name and 主营产品). A second signal
    for codes several segments share (3985 on five 动力电池 material segments): when it
    picks some but not all of them, those are kept; otherwise all are (still ambiguous).
    """
    if len(segments) < 2 or not text:
        return segments
    hits = [s for s in segments if any(k in text for k in segment_keywords(s))]
    return hits if 0 < len(hits) < len(segments) else segments


def henan_city(text: str) -> str | None:
    """The Henan 省辖市 (or 济源示范区) a place text is in (孟州市 -> 焦作市), else None."""
    try:
        place = resolve_place(text)
    except PlaceError:
        return None
    return place.city if place.in_henan else None


# ---------------------------------------------------------------- shaping


_REL_KEYS: dict[str, tuple[str, ...]] = {}  # relationship type -> its key properties
_NO_UNIT = object()  # read_cell: the cell gives no unit for ``_unit``


@dataclass
class _Row:
    number: int
    values: dict[str, Any]  # column key -> typed value (None when empty)
    problems: list[Problem]


class _Shaper:
    """Shapes one table; collects node rows by id and relationship rows by kind."""

    def __init__(self, fmt: ListFormat, table: Table, ctx: Context) -> None:
        self.fmt = fmt
        self.table = table
        self.ctx = ctx
        self.out = ShapedFile(table.file, fmt.kind, encoding=table.encoding)
        self.columns: dict[str, int] = {}  # key -> index in the row
        self.read_columns: list[tuple[Column, int]] = []  # the same, for the per-cell loop
        self.cell_caches: dict[int, dict[Any, tuple]] = {}  # index -> cell -> read_cell()
        # Per distinct value, what resolving it gave (chains, segments and places repeat).
        self._chains: dict[str, tuple[ChainInfo | None, str | None]] = {}
        self._segments: dict[tuple[int, str], tuple[list[SegmentInfo], list[str]]] = {}
        self.places: dict[tuple[str, bool | None], tuple[Place | None, list[tuple]]] = {}
        self._prov_number = -1
        self._prov: Row = {}
        self.headers: dict[str, str] = {}  # key -> header as written in the file
        self.units: dict[str, str] = {}  # key -> unit the header (or the title) gives
        self.nodes: dict[str, dict[str, tuple[Row, int]]] = {}  # label -> id -> (row, row no)
        self.rels: dict[tuple[str, str, str], dict[tuple, Row]] = {}
        self.normalised = 0  # text cells changed by cleaning
        self.loaded_orgs: list[tuple[str, str, int]] = []  # (id, name, row) of enterprise rows
        self.aliased_rows: dict[str, int] = {}  # organisation id -> row that named it by an alias
        # Columns naming organisations: cleaned as registered names (full-width brackets).
        self.org_keys = ORG_NAME_KEYS | ({"name"} if fmt.kind in ORG_KINDS else set())

    # --- problems

    def problem(self, row: int | None, key: str | None, message: str) -> Problem:
        column = None
        if key is not None:
            column = self.headers.get(key) or self.fmt.column(key).header
        return Problem(self.table.file, message, row, column)

    # --- header

    def map_header(self) -> bool:
        by_name: dict[str, Column] = {}
        for col in self.fmt.columns:
            for n in col.names():
                by_name.setdefault(n, col)
        for i, raw in enumerate(self.table.header):
            if not raw:
                continue
            col = by_name.get(normalize_header(raw))
            if col is None:
                known = [c.header for c in self.fmt.columns]
                self.out.warnings.append(
                    Problem(
                        self.table.file,
                        f"column {raw!r} is not part of the {self.fmt.title} format and is "
                        f"ignored{suggest(raw, known)}",
                        self.table.header_row,
                        raw,
                    )
                )
                continue
            if col.key in self.columns:
                first = self.headers[col.key]
                self.out.problems.append(
                    Problem(
                        self.table.file,
                        f"columns {first!r} and {raw!r} both mean {col.header} ({col.key}); "
                        "keep one",
                        self.table.header_row,
                        raw,
                    )
                )
                continue
            self.columns[col.key] = i
            self.read_columns.append((col, i))
            self.cell_caches[i] = {}
            self.headers[col.key] = raw
            self.map_unit(col, raw)
        for col in self.fmt.required:
            if col.key not in self.columns:
                given = ", ".join(h for h in self.table.header if h) or "none"
                self.out.problems.append(
                    Problem(
                        self.table.file,
                        f"required column {col.header} ({col.key}) is missing; the header row "
                        f"has: {given}",
                        self.table.header_row,
                        col.header,
                    )
                )
        return not self.out.problems

    def map_unit(self, col: Column, raw: str) -> None:
        """Note the unit a numeric column's header (or the 单位 line above it) gives."""
        if col.type not in (ColType.NUMBER, ColType.INT):
            return
        given = header_unit(raw)
        if given is None and self.table.unit and col.unit and family(col.unit) == family("万元"):
            given = self.table.unit
        if given is None:
            return
        if not col.unit:  # 数量 of needs: the unit goes to 计量单位
            self.units[col.key] = given
            return
        try:
            ratio = factor(given, col.unit)
        except UnitError:
            self.out.problems.append(
                Problem(
                    self.table.file,
                    f"{raw}: {col.header} is kept in {col.unit}; the header's unit {given!r} is "
                    f"not one of {units_of(col.unit)}: convert the column or correct the header",
                    self.table.header_row,
                    raw,
                )
            )
            return
        self.units[col.key] = given
        if ratio != 1:
            self.out.detected.append(f"{raw}: {given} converted to {col.unit} (x{_ratio(ratio)})")

    # --- rows

    def parse_row(self, number: int, cells: list[Any]) -> _Row:
        row = _Row(number, {}, list(self.table.cell_problems.get(number, ())))
        values = row.values
        caches = self.cell_caches
        for col, index in self.read_columns:
            key = col.key
            raw = cells[index]
            # a cell's outcome depends on its column and value only: each distinct value of
            # a column is read once (places, units, flags and names repeat in real lists)
            memo = raw if type(raw) is str else (type(raw), raw)
            cache = caches[index]
            outcome = cache.get(memo)
            if outcome is None:
                outcome = self.read_cell(col, raw)
                if not (type(raw) is float and raw == 0):  # -0.0 == 0.0: do not share them
                    cache[memo] = outcome
            value, unit, message, normalised = outcome
            values[key] = value
            if message is not None:
                row.problems.append(self.problem(number, key, message))
                continue
            if normalised:
                self.normalised += 1
            if unit is not _NO_UNIT:
                values.setdefault("_unit", unit)
        return row

    def read_cell(self, col: Column, raw: Any) -> tuple[Any, Any, str | None, bool]:
        """(value, unit for ``_unit`` or _NO_UNIT, problem message or None, normalised?) of a
        cell of ``col`` (pure: the same cell always gives the same outcome)."""
        key = col.key
        text = (raw.strip() or None) if type(raw) is str else _text(raw)
        if text is None:
            message = f"{col.header} is required but empty" if col.required else None
            return None, _NO_UNIT, message, False
        try:
            if col.type is ColType.TEXT:
                value = clean_text_cell(text, col, key in self.org_keys)
                return value, _NO_UNIT, None, value != raw
            if col.type is ColType.NUMBER and not col.unit:
                amount, unit = split_quantity(raw)
                return amount, unit or self.units.get(key), None, False
            value = parse_cell(raw, col, self.units.get(key))
        except (CellError, UnitError) as exc:
            message = str(exc)
            if isinstance(exc, UnitError):
                message = f"{col.header} must be one number such as 5000, got {text!r}"
            return None, _NO_UNIT, message, False
        normalised = isinstance(value, str) and isinstance(raw, str) and value != raw
        return value, _NO_UNIT, None, normalised

    def provenance(self, number: int) -> Row:
        """The provenance of row ``number``'s facts (one dict per row: callers copy it)."""
        if number != self._prov_number:
            self._prov_number = number
            self._prov = {
                "source": self.table.source,
                "source_ref": self.table.ref(number),
                "loaded_at": self.ctx.loaded_at,
                "as_of": self.ctx.as_of,
                "synthetic": self.ctx.synthetic,
            }
        return self._prov

    def resolve_chain(self, row: _Row) -> ChainInfo | None:
        name = row.values.get("chain")
        if name is None:
            return None
        hit = self._chains.get(name)
        if hit is None:
            hit = self._chains[name] = self._find_chain(name)
        chain, message = hit
        if message is not None:
            row.problems.append(self.problem(row.number, "chain", message))
        return chain

    def _find_chain(self, name: str) -> tuple[ChainInfo | None, str | None]:
        """(the chain ``name`` names, or None and the problem's message)."""
        key = match_key(name)
        chain = self.ctx.chains.get(key) or self.ctx.chains.get(key + "产业链")
        if chain is not None:
            return chain, None
        names = [c.name for c in self.ctx.chains.values()]
        if not names:
            message = (
                f"产业链 {name!r} is not in the graph, which has no chains yet; "
                "load the roster first: chainkg load roster"
            )
        else:
            message = f"unknown 产业链 {name!r}{suggest(name, names)}"
        return None, message

    def resolve_segments(self, row: _Row, chain: ChainInfo | None) -> list[SegmentInfo]:
        text = row.values.get("segment")
        if text is None or chain is None:
            return []
        memo = (id(chain), text)  # the ChainInfo objects live as long as the context
        hit = self._segments.get(memo)
        if hit is None:
            hit = self._segments[memo] = self._find_segments(text, chain)
        found, messages = hit
        for message in messages:
            row.problems.append(self.problem(row.number, "segment", message))
        return list(found)

    def _find_segments(self, text: str, chain: ChainInfo) -> tuple[list[SegmentInfo], list[str]]:
        """(the segments of ``chain`` a 环节 cell names, the problems' messages)."""
        found: list[SegmentInfo] = []
        messages: list[str] = []
        for part in _SPLIT_SEGMENTS.split(text):
            if not part.strip():
                continue
            seg = chain.segments.get(match_key(part))
            if seg is not None:
                if seg not in found:
                    found.append(seg)
                continue
            if not chain.segments:
                message = (
                    f"环节 {part.strip()!r}: the graph has no segments for {chain.name} yet; "
                    f"{TEMPLATES_HINT}"
                )
            else:
                names = [s.name for s in chain.segments.values()]
                message = (
                    f"unknown 环节 {part.strip()!r} of {chain.name}{suggest(part.strip(), names)}"
                )
            messages.append(message)
        return found, messages

    def resolve_city(self, row: _Row, key: str = "city") -> str | None:
        text = row.values.get(key)
        if text is None:
            return None
        try:
            place = resolve_place(text)
        except PlaceError as exc:
            row.problems.append(self.problem(row.number, key, f"地市 {exc}"))
            return None
        if not place.in_henan or place.city is None:
            row.problems.append(
                self.problem(
                    row.number,
                    key,
                    f"地市 {text!r} is {place.label()}, not in Henan: this list names places in "
                    "one of Henan's 17 省辖市 or 济源示范区",
                )
            )
            return None
        return place.city

    def resolve_org(self, text: str) -> str | None:
        """The id of the organisation ``text`` names (a name or a USCC), if it is known."""
        code = normalize_uscc(text)
        if _USCC_LIKE.match(code) and code in self.ctx.usccs:
            return self.ctx.usccs[code]
        oid = org_id(text)
        oid = self.ctx.aliases.get(oid, (oid, ""))[0]
        return oid if oid in self.ctx.orgs else None

    def listed_alias(self, text: str) -> str | None:
        """The alias id ``text`` gives when the alias table resolves it to another organisation."""
        oid = org_id(text)
        return oid if oid in self.ctx.aliases else None

    # --- output

    def add_node(self, label: str, row: Row, number: int, problems: list[Problem]) -> None:
        """Queue a node row; a second row for the same node must not contradict the first."""
        nodes = self.nodes.setdefault(label, {})
        earlier = nodes.get(row["id"])
        if earlier is None:
            nodes[row["id"]] = (row, number)
            return
        first, first_no = earlier
        for key, value in row.items():
            if key in ("source_ref",) or value is None or first.get(key) is None:
                continue
            if first[key] != value:
                header = self.headers.get(key, key)
                problems.append(
                    Problem(
                        self.table.file,
                        f"{header} {value!r} contradicts row {first_no} ({first[key]!r}) for "
                        f"the same {row.get('name') or row['id']}; give it one value",
                        number,
                        header,
                    )
                )

    def add_stub(self, label: str, node_id: str, props: Row, number: int) -> None:
        """A node the row points to (city, park) that the graph does not have yet."""
        known = self.ctx.cities if label == "City" else self.ctx.parks
        written = self.ctx.written.setdefault(label, set())
        if node_id in known or node_id in written:
            return
        written.add(node_id)
        self.nodes.setdefault(label, {})[node_id] = (
            {"id": node_id, **props, **self.provenance(number)},
            number,
        )

    def add_rel(self, type_: str, from_label: str, to_label: str, row: Row) -> None:
        key = _REL_KEYS.get(type_)
        if key is None:
            key = _REL_KEYS[type_] = SCHEMA.rel(type_).key
        if key:
            ident = (row["from_id"], row["to_id"], *(row.get(k) or "" for k in key))
        else:
            ident = (row["from_id"], row["to_id"])
        self.rels.setdefault((type_, from_label, to_label), {}).setdefault(ident, row)

    def rel(self, from_id: str, to_id: str, number: int, **props: Any) -> Row:
        return {"from_id": from_id, "to_id": to_id, **props, **self.provenance(number)}

    def add_entry(self, chain: str, entry_id: str, entry: Row, number: int) -> None:
        """Record what row ``number`` says of ``entry_id`` for ``chain``'s list version."""
        entry["ref"] = self.table.ref(number)
        entry["source"] = self.table.source
        self.out.entries.append((chain, entry_id, entry))

    def finish(self) -> ShapedFile:
        for label, rows in self.nodes.items():
            self.out.batch.add_nodes(label, [r for r, _ in rows.values()])
        for (type_, a, b), rows in self.rels.items():
            self.out.batch.add_rels(type_, a, b, list(rows.values()))
        return self.out

    # --- driver

    def run(self, shape_row: Callable[[_Shaper, _Row], Callable[[], None] | None]) -> ShapedFile:
        self.out.rows_read = len(self.table.rows)
        self.out.detected.extend(self.table.detected)
        if not self.map_header():
            return self.finish()
        if not self.table.rows:
            self.out.problems.append(
                Problem(
                    self.table.file, "the file has a header but no data rows", self.table.header_row
                )
            )
            return self.finish()
        seen: dict[tuple, int] = {}
        identity = self.fmt.identity
        for number, cells in self.table.rows:
            row = self.parse_row(number, cells)
            values = row.values
            ident = tuple(
                clean_name(value) if isinstance(value := values.get(k), str) else value
                for k in identity
            )
            if ident in seen and not row.problems:
                names = " and ".join(
                    self.fmt.column(k).header for k in self.fmt.identity if k in self.columns
                )
                row.problems.append(
                    Problem(
                        self.table.file, f"duplicate of row {seen[ident]} (same {names})", number
                    )
                )
            noted = len(self.out.warnings)
            emit = shape_row(self, row)
            if not row.problems and emit is not None:
                emit()  # may find that the row contradicts an earlier one
            if row.problems:
                self.out.problems.extend(row.problems)
                del self.out.warnings[noted:]  # notes about a skipped row only distract
                continue
            seen.setdefault(ident, number)
            self.out.rows_loaded += 1
        if self.loaded_orgs:
            suspected = probable_duplicates(self)
            self.out.warnings.extend(suspected)
            if suspected:
                self.out.detected.append(
                    f"{len(suspected)} probable duplicate organisations suspected (see warnings)"
                )
        if self.normalised:
            self.out.detected.append(
                f"{self.normalised} text cells normalised (spaces, full-width characters, "
                "brackets, zero-width or control characters)"
            )
        return self.finish()


_GROUP = "集团"


def probable_duplicates(s: _Shaper) -> list[Problem]:
    """Organisations of a file that are probably one: reported, never merged silently.

    Two names are suspected when they are equal once a place prefix is taken off
    (郑州宇通客车股份有限公司 / 宇通客车股份有限公司), within the file or against the
    graph; a 集团 and a company sharing its brand (许继集团 / 许继电气) are a hint only.
    """
    found: list[Problem] = []
    by_core: dict[str, tuple[str, str, int]] = {}
    fix = "if they are one organisation, write one name (or the 统一社会信用代码) in both places"
    mine = {o for o, _, _ in s.loaded_orgs}
    for oid, name, number in s.loaded_orgs:
        prefix, core = strip_place_prefix(name)
        key = name_key(core)
        other = by_core.get(key)
        if other is not None and other[0] != oid:
            found.append(
                s.problem(
                    number,
                    "name",
                    f"probable duplicate: {name!r} and {other[1]!r} (row {other[2]}) differ only "
                    f"by a place prefix; {fix}",
                )
            )
        by_core.setdefault(key, (oid, name, number))
        core_id = org_id(core)
        if prefix and core_id != oid and core_id in s.ctx.orgs and core_id not in mine:
            found.append(
                s.problem(
                    number,
                    "name",
                    f"probable duplicate: {name!r} and {s.ctx.orgs[core_id]!r} (known already) "
                    f"differ only by the place prefix {prefix!r}; {fix}",
                )
            )
    brands: dict[str, tuple[str, int]] = {}
    cores = [(strip_place_prefix(name)[1], name, number) for _, name, number in s.loaded_orgs]
    for core, name, number in cores:
        if _GROUP in core and len(core.split(_GROUP)[0]) >= 2:
            brands.setdefault(core.split(_GROUP)[0], (name, number))
    # a name starts with a brand when its first len(brand) characters are one: a lookup per
    # brand length instead of a comparison per brand (a real list has hundreds of 集团)
    order = {brand: i for i, brand in enumerate(brands)}
    lengths = sorted({len(brand) for brand in brands})
    for core, name, number in cores:
        if _GROUP in core:
            continue
        hits = sorted((core[:n] for n in lengths if core[:n] in brands), key=order.__getitem__)
        for brand in hits:
            group, group_row = brands[brand]
            found.append(
                s.problem(
                    number,
                    "name",
                    f"hint: {name!r} may belong to {group!r} (row {group_row}); they are kept "
                    "as two organisations",
                )
            )
    return found


def _enterprise_place(s: _Shaper, row: _Row) -> Place | None:
    """Where an enterprise is: its 地市 cell resolved (a Henan county gives its 省辖市).

    省内/省外 must agree with the place. A 省外 enterprise whose place cannot be
    resolved keeps the text as written (with a warning); a 省内 one is refused.
    """
    text = row.values.get("city")
    if text is None:
        return None
    flag = row.values.get("in_province")
    hit = s.places.get((text, flag))
    if hit is None:
        hit = s.places[(text, flag)] = _place_outcome(text, flag)
    place, notes = hit
    for warning, key, message in notes:
        (s.out.warnings if warning else row.problems).append(s.problem(row.number, key, message))
    return place


def _place_outcome(text: str, flag: bool | None) -> tuple[Place | None, list[tuple]]:
    """(the place of a 地市 cell given 省内/省外 ``flag``, its notes: (warning?, column,
    message)); pure, so each distinct (cell, flag) is resolved once per file."""
    try:
        place = resolve_place(text)
    except PlaceError as exc:
        if flag is False:
            return Place(province=None, city=None, rest=text), [
                (True, "city", f"地市 {exc}; kept as written (省外)")
            ]
        message = f"地市 {exc}; for an enterprise outside Henan also write 省外 in 省内/省外"
        return None, [(False, "city", message)]
    if flag is False and place.in_henan:
        message = f"省外, but 地市 {text!r} is {place.label()} in Henan"
        return place, [(False, "in_province", message)]
    if flag is True and not place.in_henan:
        message = f"省内, but 地市 {text!r} is {place.label()}, outside Henan"
        return place, [(False, "in_province", message)]
    return place, []


def _enterprise_row(s: _Shaper, row: _Row) -> Callable[[], None] | None:
    v = row.values
    ctx = s.ctx
    chain = s.resolve_chain(row)
    segments = s.resolve_segments(row, chain)
    place = _enterprise_place(s, row)
    city = place.city if place is not None and place.in_henan else None
    name = v.get("name")
    if name is None:
        return None
    oid = org_id(name)
    listed: tuple[str, str] | None = None  # (id, name) as listed, when an alias resolves it
    if oid in ctx.aliases:
        listed = (oid, name)
        oid, name = ctx.aliases[oid]
    code = v.get("uscc")
    if code is not None:
        holder = ctx.usccs.get(code)
        if holder is not None and holder != oid:
            row.problems.append(
                s.problem(
                    row.number,
                    "uscc",
                    f"统一社会信用代码 {code} already belongs to {ctx.orgs.get(holder, holder)!r}, "
                    f"not {name!r}; check the code or the name",
                )
            )
    inferred = False
    if chain is not None and not segments and v.get("segment") is None:
        industry = v.get("industry_code")
        if industry is None:
            s.out.warnings.append(
                s.problem(
                    row.number,
                    "segment",
                    f"{name} has no 环节 and no 行业代码: loaded without a segment of "
                    f"{chain.name}; fill 环节 to place it",
                )
            )
        else:
            by_code = segments_for_code(chain, industry)
            segments = narrow_by_keywords(by_code, f"{name} {v.get('main_products') or ''}")
            inferred = True
            if len(segments) < len(by_code):
                shown = "、".join(seg.name for seg in segments)
                s.out.warnings.append(
                    s.problem(
                        row.number,
                        "industry_code",
                        f"行业代码 {industry} matches {len(by_code)} segments of {chain.name}; "
                        f"{name} is placed in {shown} by its product keywords (inferred); "
                        "fill 环节 to confirm",
                    )
                )
            if not chain.segments:
                s.out.warnings.append(
                    s.problem(
                        row.number,
                        "industry_code",
                        f"{name} cannot be placed by 行业代码: the graph has no segments "
                        f"for {chain.name} yet; {TEMPLATES_HINT}",
                    )
                )
            elif not segments:
                s.out.warnings.append(
                    s.problem(
                        row.number,
                        "industry_code",
                        f"行业代码 {industry} matches no segment of {chain.name}: {name} is "
                        "loaded without a segment; fill 环节 to place it",
                    )
                )
            elif len(segments) > 1:
                shown = "、".join(seg.name for seg in segments)
                s.out.warnings.append(
                    s.problem(
                        row.number,
                        "industry_code",
                        f"行业代码 {industry} matches several segments of {chain.name} "
                        f"({shown}): {name} is placed in all of them (inferred); fill 环节 "
                        "to choose",
                    )
                )
    in_province = v.get("in_province")
    if in_province is None and place is not None and (place.province or place.abroad):
        in_province = place.in_henan
    node: Row = {"id": oid, "name": name, "kind": "enterprise"}
    for key in (
        "uscc",
        "revenue",
        "employees",
        "leader",
        "specialized",
        "listed",
        "industry_code",
        "capacity",
    ):
        if key in s.columns:
            node[key] = v.get(key)
    if "city" in s.columns:
        node["city"] = city
        node["county"] = node["province"] = node["country"] = None
        if place is not None:
            unresolved = place.province is None and not place.abroad
            node["city"] = place.city or (place.rest if unresolved else None)
            node["county"] = place.county
            node["province"] = place.province
            node["country"] = place.country if place.province or place.abroad else None
    if "in_province" in s.columns or "city" in s.columns:
        node["in_province"] = in_province
    node.update(s.provenance(row.number))
    park = v.get("park")

    def emit() -> None:
        earlier = s.nodes.get("Organization", {}).get(oid)
        if earlier is not None and (listed or s.aliased_rows.get(oid)):
            row.problems.append(
                s.problem(
                    row.number,
                    "name",
                    f"{(listed or (oid, name))[1]!r} and row {earlier[1]} name one organisation, "
                    f"{name!r} (alias table: chainkg orgs aliases); keep one row",
                )
            )
            return
        s.add_node("Organization", node, row.number, row.problems)
        if row.problems:  # a contradiction with an earlier row of the same enterprise
            return
        if listed:
            s.aliased_rows[oid] = row.number
        ctx.orgs[oid] = name
        s.loaded_orgs.append((oid, name, row.number))
        if code is not None:
            ctx.usccs[code] = oid
        for seg in segments:
            s.add_rel(
                "OPERATES_IN",
                "Organization",
                "Segment",
                s.rel(oid, seg.id, row.number, inferred=inferred),
            )
        if city is not None and in_province is not False:
            cid = city_id(city)
            s.add_stub("City", cid, {"name": city}, row.number)
            s.add_rel("LOCATED_IN", "Organization", "City", s.rel(oid, cid, row.number))
        if park is not None:
            pid = park_id(park)
            s.add_stub("Park", pid, {"name": park}, row.number)
            s.add_rel("IN_PARK", "Organization", "Park", s.rel(oid, pid, row.number))
        links: Row = {}
        if "city" in s.columns or "in_province" in s.columns:
            located = city is not None and in_province is not False
            links["LOCATED_IN"] = city_id(city) if located and city else None
        if "park" in s.columns:
            links["IN_PARK"] = park_id(park) if park is not None else None
        if chain is not None:
            entry = {
                "label": "Organization",
                "values": _claimed(node),
                "links": links,
                "segments": [seg.id for seg in segments],
                "inferred": inferred,
            }
            if listed:  # what the list said, as a merge marks it (graph/aliases.py)
                entry.update(listed_id=listed[0], listed_as=listed[1])
            s.add_entry(chain.version_key, oid, entry, row.number)

    return emit


_PROVENANCE_KEYS = frozenset({"id", "source", "source_ref", "loaded_at", "as_of", "synthetic"})


def _claimed(node: Row) -> Row:
    """The values a row claims for a node (no id, no provenance)."""
    return {k: v for k, v in node.items() if k not in _PROVENANCE_KEYS}


def _supply_row(s: _Shaper, row: _Row) -> Callable[[], None] | None:
    v = row.values
    ids: dict[str, str] = {}
    for key in ("supplier", "customer"):
        text = v.get(key)
        if text is None:
            continue
        code = normalize_uscc(text)
        bad_code = uscc_problem(code) if _USCC_LIKE.match(code) else None
        if bad_code:
            row.problems.append(s.problem(row.number, key, bad_code))
            continue
        oid = s.resolve_org(text)
        if oid is None:
            header = s.fmt.column(key).header
            row.problems.append(
                s.problem(
                    row.number,
                    key,
                    f"{header} {text!r} is neither in the graph nor in the enterprise lists loaded "
                    f"with this file{suggest(text, s.ctx.orgs.values())}; add it to an enterprise "
                    "list (企业清单) first, or load both files together",
                )
            )
        else:
            ids[key] = oid
    if len(ids) == 2 and ids["supplier"] == ids["customer"]:
        row.problems.append(
            s.problem(row.number, "customer", "供方 and 需方 are the same organisation")
        )
    segment: SegmentInfo | None = None
    if v.get("segment") is not None:
        # The product's segment: its sales count as local demand there only (docs/weak-links.md).
        chain = s.resolve_chain(row)
        if chain is None and v.get("chain") is None:
            row.problems.append(
                s.problem(row.number, "chain", "环节 needs 产业链: fill the chain of that segment")
            )
        found = s.resolve_segments(row, chain)
        if len(found) > 1:
            row.problems.append(
                s.problem(
                    row.number, "segment", "name one 环节: the product comes from one segment"
                )
            )
        segment = found[0] if found else None
    if row.problems:
        return None
    props: Row = {"product": v.get("product") or ""}
    if "value" in s.columns:
        props["value"] = v.get("value")
    if segment is not None:
        props["segment"] = segment.id

    def emit() -> None:
        s.add_rel(
            "SUPPLIES",
            "Organization",
            "Organization",
            s.rel(ids["supplier"], ids["customer"], row.number, **props),
        )
        entry_id = f"{ids['supplier']}>{ids['customer']}|{props['product']}"
        values = {k: v for k, v in props.items() if k != "product"}
        entry: Row = {
            "label": "SUPPLIES",
            "from": ids["supplier"],
            "to": ids["customer"],
            "product": props["product"],
            "values": values,
        }
        for key, mark in (("supplier", "listed_from"), ("customer", "listed_to")):
            alias = s.listed_alias(v[key])
            if alias is not None:
                entry[mark] = alias
        s.add_entry("*", entry_id, entry, row.number)
        if segment is not None:  # the list says the supplier makes this segment's products
            s.add_rel(
                "OPERATES_IN",
                "Organization",
                "Segment",
                s.rel(ids["supplier"], segment.id, row.number, inferred=False),
            )

    return emit


def _list_entry_row(s: _Shaper, row: _Row) -> Callable[[], None] | None:
    v = row.values
    fmt = s.fmt
    chain = s.resolve_chain(row)
    segments = s.resolve_segments(row, chain)
    city = s.resolve_city(row) if "city" in s.columns else None
    if fmt.kind == "needs" and v.get("kind") is not None:
        kind = NEED_KINDS.get(v["kind"]) or (v["kind"] if v["kind"] in NEED_UNITS else None)
        if kind is None:
            row.problems.append(
                s.problem(row.number, "kind", f"类型 must be 融资, 用地 or 环保, got {v['kind']!r}")
            )
        v = {**v, "kind": kind}
        _need_amount(s, row, v, kind)
    if row.problems or chain is None:
        return None
    v = {**v, "chain": chain.version_key}  # ids use the chain's stable spelling
    label = fmt.label
    props = {p.name for p in SCHEMA.node(label).props}
    node: Row = {"id": list_entry_id(fmt, v)}
    for key in s.columns:
        if key in props:
            node[key] = v.get(key)
    if fmt.kind == "needs" and "unit" in props:
        node["unit"] = v.get("unit")
    if city is not None:
        node["city"] = city
    node.update(s.provenance(row.number))
    nid = node["id"]
    concern = CONCERNS_ROLE.get(fmt.kind)
    org_text = v.get(concern[0]) if concern else None
    org = s.resolve_org(org_text) if org_text else None
    if org_text and org is None and fmt.kind != "targets":
        header = s.headers.get(concern[0], concern[0]) if concern else ""
        s.out.warnings.append(
            Problem(
                s.table.file,
                f"{header} {org_text!r} is not in the graph: "
                + ("kept as text, not linked" if concern and concern[0] in props else "not linked")
                + " (load it in an enterprise list to link it)",
                row.number,
                header,
            )
        )
    park = v.get("park")

    def emit() -> None:
        s.add_node(label, node, row.number, row.problems)
        if row.problems:
            return
        s.add_rel("LISTED_FOR", label, "Chain", s.rel(nid, chain.id, row.number))
        for seg in segments:
            s.add_rel("IN_SEGMENT", label, "Segment", s.rel(nid, seg.id, row.number))
        if city is not None and SCHEMA.rel("LOCATED_IN").joins(label, "City"):
            cid = city_id(city)
            s.add_stub("City", cid, {"name": city}, row.number)
            s.add_rel("LOCATED_IN", label, "City", s.rel(nid, cid, row.number))
        if park is not None and SCHEMA.rel("IN_PARK").joins(label, "Park"):
            pid = park_id(park)
            s.add_stub("Park", pid, {"name": park}, row.number)
            s.add_rel("IN_PARK", label, "Park", s.rel(nid, pid, row.number))
        if org is not None and concern is not None:
            s.add_rel(
                "CONCERNS", label, "Organization", s.rel(nid, org, row.number, role=concern[1])
            )
        if label == "Park":
            s.ctx.written.setdefault("Park", set()).add(nid)
        links: Row = {}
        if "city" in s.columns and SCHEMA.rel("LOCATED_IN").joins(label, "City"):
            links["LOCATED_IN"] = city_id(city) if city is not None else None
        if "park" in s.columns and SCHEMA.rel("IN_PARK").joins(label, "Park"):
            links["IN_PARK"] = park_id(park) if park is not None else None
        if concern is not None and concern[0] in s.columns:
            links["CONCERNS"] = [org, concern[1]] if org is not None else None
        entry: Row = {
            "label": label,
            "values": _claimed(node),
            "links": links,
            "segments": [seg.id for seg in segments],
        }
        if org is not None and org_text and s.listed_alias(org_text):
            entry["listed_concerns"] = s.listed_alias(org_text)
        s.add_entry(chain.version_key, nid, entry, row.number)

    return emit


def _need_amount(s: _Shaper, row: _Row, v: dict[str, Any], kind: str | None) -> None:
    """A need's 数量 in the kind's unit (融资 万元, 用地 亩) when its unit converts to it.

    The unit is the 计量单位 cell, else one written in the 数量 cell or its header,
    else the kind's default. Other units (e.g. 吨 of 环保) are kept as given.
    """
    written = v.get("unit") or v.get("_unit")
    default = NEED_UNITS.get(kind or "") or None
    unit = written or default
    amount = v.get("amount")
    if amount is not None and unit and default and family(default) is not None:
        try:
            ratio = factor(unit, default)
        except UnitError:
            ratio = None
        if ratio is not None:
            v["amount"] = float(Fraction(repr(amount)) * ratio)
            unit = default
    v["unit"] = unit


_ROW_SHAPERS = {"enterprises": _enterprise_row, "supplies": _supply_row}


def shape_table(fmt: ListFormat, table: Table, ctx: Context) -> ShapedFile:
    """Validate ``table`` as a ``fmt`` list and shape its valid rows into a GraphBatch.

    ``ctx`` grows with the organisations, cities and parks this file adds, so
    the next file of the same set can refer to them.
    """
    shaper = _Shaper(fmt, table, ctx)
    return shaper.run(_ROW_SHAPERS.get(fmt.kind, _list_entry_row))


def referenced_orgs(fmt: ListFormat, table: Table) -> tuple[set[str], set[str]]:
    """The organisation ids and USCCs a table names, to look them up in the graph first."""
    keys = {
        "enterprises": ("name", "uscc"),
        "supplies": ("supplier", "customer"),
    }.get(fmt.kind) or ((CONCERNS_ROLE[fmt.kind][0],) if fmt.kind in CONCERNS_ROLE else ())
    wanted = {normalize_header(n): c.key for c in fmt.columns if c.key in keys for n in c.names()}
    indexes = {
        i: wanted[normalize_header(h)]
        for i, h in enumerate(table.header)
        if normalize_header(h) in wanted
    }
    ids: set[str] = set()
    codes: set[str] = set()
    for _, cells in table.rows:
        for i in indexes:
            text = _text(cells[i])
            if text is None:
                continue
            if text[0].isascii() or text[0] in "０１２３４５６７８９":
                code = normalize_uscc(text)
                if _USCC_LIKE.match(code):
                    codes.add(code)
                    continue
            try:
                name = clean_org_name(text)
            except TextError:
                continue
            ids.add(org_id(name))
            prefix, core = strip_place_prefix(name)
            if prefix:  # 郑州宇通客车... may be 宇通客车... of the roster
                ids.add(org_id(core))
    return ids, codes
