"""Reference chain templates (图谱 skeletons): TOML files -> validated, immutable templates.

One TOML file per key chain (重点产业链) lists its segments (环节) with their stage
(上游/中游/下游), order, description and GB/T 4754-2017 industry codes, the FEEDS
edges inside the chain and the cross-chain FEEDS into other chains' segments.
The shipped files under ``data/chains`` are reference templates that users may edit
or replace; this module only reads and validates them (no store access), reporting
every problem of every file at once in one :class:`~chainkg.errors.InputError`.
The format is documented in ``data/chains/README.md``.
"""

from __future__ import annotations

import difflib
import importlib.resources
import re
import tomllib
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from chainkg.errors import ChainkgError, InputError, Problem
from chainkg.loaders.industry_codes import TABLE_FILE, closest_codes, industry_name

STAGES = ("upstream", "midstream", "downstream")
STAGE_LABELS = {"upstream": "上游", "midstream": "中游", "downstream": "下游"}
MIN_SEGMENTS = 5
MAX_SEGMENTS = 24  # 光伏及风电 needs 22 once its equipment and materials are in

_STAGE_RANK = {stage: rank for rank, stage in enumerate(STAGES)}
_STAGE_CODES = {**{label: code for code, label in STAGE_LABELS.items()}, **{s: s for s in STAGES}}
_TOP_KEYS = (
    "chain",
    "cluster",
    "source",
    "version",
    "segments",
    "feeds",
    "cross_feeds",
    "renames",
)
_SEGMENT_KEYS = ("name", "stage", "order", "description", "industry_codes")
_FEED_KEYS = ("from", "to", "product", "cycle_ok")
_CROSS_KEYS = ("from", "to_chain", "to", "product")
_CODE_RE = re.compile(r"\d{4}")
_QUERY_CODE_RE = re.compile(r"[A-Ta-t]?(\d{3,4})")
_TOML_POSITION_RE = re.compile(r"\s*\(at line (\d+), column (\d+)\)$")


@dataclass(frozen=True)
class SegmentTemplate:
    """One segment (环节) of a chain template; ``source`` is ``file#segments[i]`` (1-based)."""

    chain: str
    name: str
    stage: str
    order: int
    description: str
    industry_codes: tuple[str, ...]
    source: str

    @property
    def stage_label(self) -> str:
        """The Chinese stage label (上游/中游/下游) shown to users."""
        return STAGE_LABELS[self.stage]


@dataclass(frozen=True)
class FeedTemplate:
    """A FEEDS edge from a segment of ``from_chain`` to a segment of ``to_chain``.

    ``cycle_ok`` marks a declared loop-back edge (e.g. recycling 回收利用 -> raw
    materials) that may run against the stage order and close a cycle.
    """

    from_chain: str
    from_segment: str
    to_chain: str
    to_segment: str
    product: str | None
    source: str
    cycle_ok: bool = False

    @property
    def is_cross_chain(self) -> bool:
        """True when the edge leaves its chain (a ``[[cross_feeds]]`` entry)."""
        return self.from_chain != self.to_chain


@dataclass(frozen=True)
class ChainTemplate:
    """A chain's template: its segments in order and its FEEDS edges (within and across)."""

    chain: str
    cluster: str
    segments: tuple[SegmentTemplate, ...]
    feeds: tuple[FeedTemplate, ...]
    source_file: str
    version: str | None = None
    source: str | None = field(default=None, compare=False)
    # [renames] old segment name -> new name: placements of the old segment move on load.
    renames: tuple[tuple[str, str], ...] = ()

    def segment(self, name: str) -> SegmentTemplate:
        """The segment called ``name``; raises KeyError when the chain has none."""
        for segment in self.segments:
            if segment.name == name:
                return segment
        raise KeyError(name)

    @property
    def internal_feeds(self) -> tuple[FeedTemplate, ...]:
        """FEEDS edges between this chain's own segments."""
        return tuple(f for f in self.feeds if not f.is_cross_chain)

    @property
    def cross_feeds(self) -> tuple[FeedTemplate, ...]:
        """FEEDS edges into other chains' segments."""
        return tuple(f for f in self.feeds if f.is_cross_chain)


def default_template_dir() -> Path:
    """The folder of the shipped templates (``data/chains``, packaged as ``chainkg.data``)."""
    try:
        candidate = importlib.resources.files("chainkg.data").joinpath("chains")
    except ModuleNotFoundError:
        candidate = None
    if isinstance(candidate, Path) and candidate.is_dir():
        return candidate
    # Editable installs map data/ without an __init__.py, so the package may not import;
    # loaders/ and data/ are siblings both in the repository and when installed.
    return Path(__file__).resolve().parent.parent / "data" / "chains"


def load_templates(
    paths: Iterable[Path] | None = None,
    *,
    known_chains: Collection[str] | None = None,
) -> list[ChainTemplate]:
    """Read and validate chain templates; raise one InputError listing every problem.

    ``paths`` are TOML files or folders of them (default: every shipped template).
    With ``known_chains`` (e.g. the roster's chain names) a template for any other
    chain is reported, and cross-chain feeds may point at known chains whose template
    is not loaded. Templates come back in file-name order.
    """
    files = _template_files(paths)
    problems: list[Problem] = []
    parsed: list[_Parsed] = []
    for path in files:
        document = _read_toml(path, problems)
        if document is not None:
            parsed.append(_parse_document(document, path.name, problems))
    templates = _link(parsed, known_chains, problems)
    if problems:
        # Group by file in the order given; within a file, problems stay in reading order.
        position = {path.name: i for i, path in reversed(list(enumerate(files)))}
        problems.sort(key=lambda p: position.get(p.file, len(files)))
        raise InputError(
            problems,
            hint="Fix each located entry in the chain template files (format: data/chains/README.md).",
        )
    return templates


def segments_for_industry_code(
    templates: Iterable[ChainTemplate], code: str
) -> list[SegmentTemplate]:
    """Segments whose GB/T 4754-2017 codes match ``code``, in template and segment order.

    A 4-digit 小类 code matches exactly; a 3-digit 中类 code matches every 小类 under
    it. A leading 门类 letter, as in ``"C3841"``, is ignored.
    """
    match = _QUERY_CODE_RE.fullmatch(code.strip())
    if match is None:
        raise ChainkgError(
            f"industry code {code!r} is not a GB/T 4754-2017 code",
            hint='Give a 4-digit 小类 code such as "3841" or a 3-digit 中类 code such as "384".',
        )
    digits = match.group(1)
    return [
        segment
        for template in templates
        for segment in template.segments
        if any(
            c == digits if len(digits) == 4 else c.startswith(digits)
            for c in segment.industry_codes
        )
    ]


def shared_codes(template: ChainTemplate, at_least: int = 2) -> dict[str, tuple[str, ...]]:
    """Industry codes that ``at_least`` segments of one chain share, with those segments.

    A firm placed by such a code alone is ambiguous; the list loader then uses the firm's
    name and 主营产品 as a second signal (product keywords) and warns where that does not
    settle it (data/chains/README.md).
    """
    by_code: dict[str, list[str]] = {}
    for segment in template.segments:
        for code in segment.industry_codes:
            by_code.setdefault(code, []).append(segment.name)
    return {c: tuple(names) for c, names in sorted(by_code.items()) if len(names) >= at_least}


# ---------------------------------------------------------------- reading


def _template_files(paths: Iterable[Path] | None) -> list[Path]:
    if paths is None:
        folder = default_template_dir()
        files = sorted(folder.glob("*.toml"))
        if not files:
            raise InputError(
                [Problem(str(folder), "no chain template (*.toml) found in this folder")],
                hint="Reinstall chainkg, or pass the template files explicitly.",
            )
        return files
    files = []
    for path in map(Path, paths):
        files.extend(sorted(path.glob("*.toml")) if path.is_dir() else [path])
    return files


def _read_toml(path: Path, problems: list[Problem]) -> dict[str, Any] | None:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        problems.append(Problem(path.name, f"file not found: {path}"))
        return None
    except UnicodeDecodeError as error:
        problems.append(
            Problem(
                path.name,
                f"is not UTF-8 text (byte {error.start}); save the file as UTF-8",
            )
        )
        return None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        problems.append(Problem(path.name, _toml_message(str(error))))
        return None


def _toml_message(raw: str) -> str:
    position = _TOML_POSITION_RE.search(raw)
    if position is None:
        return f"invalid TOML: {raw}; fix the syntax"
    reason = raw[: position.start()]
    line, column = position.groups()
    return (
        f"invalid TOML at line {line}, column {column}: {reason}; "
        "fix the syntax there (text values need double quotes)"
    )


# ---------------------------------------------------------------- one file


@dataclass
class _Cross:
    from_segment: str
    to_chain: str
    to_segment: str
    product: str | None
    row: int


@dataclass
class _Parsed:
    file: str
    chain: str | None
    cluster: str
    version: str | None
    source: str | None
    segments: list[SegmentTemplate]
    feeds: list[FeedTemplate]
    cross: list[_Cross]
    renames: list[tuple[str, str]] = field(default_factory=list)


class _FileChecker:
    """Collects the located problems of one template file."""

    def __init__(self, file: str, problems: list[Problem]) -> None:
        self.file = file
        self.problems = problems
        self.declared: set[str] = set()

    def add(self, message: str, row: int | None = None, column: str | None = None) -> None:
        self.problems.append(Problem(self.file, message, row, column))

    def unknown_keys(
        self, table: Mapping[str, Any], allowed: Sequence[str], row: int | None, prefix: str
    ) -> None:
        for key in table:
            if key not in allowed:
                self.add(
                    f"unknown field {key!r}{_suggest(key, allowed)}; "
                    f"allowed fields: {', '.join(allowed)}",
                    row,
                    f"{prefix}{key}",
                )

    def text(
        self,
        table: Mapping[str, Any],
        key: str,
        row: int | None,
        column: str,
        *,
        required: bool,
    ) -> str | None:
        value = table.get(key)
        if value is None:
            if required:
                self.add(f'{key} is missing; add {key} = "..."', row, column)
            return None
        if not isinstance(value, str) or not value.strip():
            self.add(f"{key} must be non-empty text in double quotes, got {value!r}", row, column)
            return None
        return value.strip()

    def tables(self, document: Mapping[str, Any], key: str) -> list[Mapping[str, Any]]:
        value = document.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            self.add(f"{key} must be a list of [[{key}]] tables", None, key)
            return []
        return value


def _parse_document(document: Mapping[str, Any], file: str, problems: list[Problem]) -> _Parsed:
    check = _FileChecker(file, problems)
    check.unknown_keys(document, _TOP_KEYS, None, "")
    chain = check.text(document, "chain", None, "chain", required=True)
    cluster = check.text(document, "cluster", None, "cluster", required=True) or ""
    version = check.text(document, "version", None, "version", required=False)
    source = check.text(document, "source", None, "source", required=False)
    chain_name = chain or "?"
    segment_rows = check.tables(document, "segments")
    segments = _parse_segments(check, chain_name, segment_rows)
    # A segment already reported as invalid still counts as declared, so that the feeds
    # naming it do not add a second, misleading "not a segment" problem.
    check.declared = {t["name"] for t in segment_rows if isinstance(t.get("name"), str)}
    names = {s.name: s for s in segments}
    feeds = _parse_feeds(check, chain_name, names, check.tables(document, "feeds"))
    _check_cycles(check, feeds)
    _check_connected(check, segments, feeds)
    cross = _parse_cross(check, names, check.tables(document, "cross_feeds"))
    renames = _parse_renames(check, names, document.get("renames"))
    return _Parsed(file, chain, cluster, version, source, segments, feeds, cross, renames)


def _parse_renames(
    check: _FileChecker, names: Mapping[str, SegmentTemplate], table: Any
) -> list[tuple[str, str]]:
    """``[renames]``: old segment name = new segment name (the new one must be declared)."""
    if table is None:
        return []
    if not isinstance(table, Mapping):
        check.add('renames must be a table of old segment name = "new segment name"')
        return []
    out = []
    for old, new in table.items():
        if not isinstance(new, str) or new not in names:
            check.add(
                f"renames: {old!r} = {new!r}: the new name must be a segment of this template"
                f"{_suggest(str(new), list(names))}",
                column="renames",
            )
        elif old in names:
            check.add(
                f"renames: {old!r} is still a segment of this template; remove it or the rename",
                column="renames",
            )
        else:
            out.append((str(old), new))
    return out


def _parse_segments(
    check: _FileChecker, chain: str, rows: list[Mapping[str, Any]]
) -> list[SegmentTemplate]:
    if not MIN_SEGMENTS <= len(rows) <= MAX_SEGMENTS:
        check.add(
            f"has {len(rows)} [[segments]]; a chain template needs "
            f"{MIN_SEGMENTS} to {MAX_SEGMENTS} segments (split or merge segments)",
            None,
            "segments",
        )
    segments: list[SegmentTemplate] = []
    first_row: dict[str, int] = {}
    for row, table in enumerate(rows, start=1):
        check.unknown_keys(table, _SEGMENT_KEYS, row, "segments.")
        name = check.text(table, "name", row, "segments.name", required=True)
        stage = _parse_stage(check, table.get("stage"), row)
        order = _parse_order(check, table.get("order"), row, len(rows))
        description = (
            check.text(table, "description", row, "segments.description", required=False) or ""
        )
        codes = _parse_codes(check, table.get("industry_codes", []), row)
        if name is not None and name in first_row:
            check.add(
                f"duplicate segment name {name!r} (first at row {first_row[name]}); "
                "segment names must be unique within a chain: rename or merge them",
                row,
                "segments.name",
            )
            continue
        if name is None or stage is None or order is None:
            continue
        first_row[name] = row
        segments.append(
            SegmentTemplate(
                chain, name, stage, order, description, codes, f"{check.file}#segments[{row}]"
            )
        )
    _check_order(check, segments)
    return segments


def _parse_stage(check: _FileChecker, value: Any, row: int) -> str | None:
    if value is None:
        check.add('stage is missing; add stage = "上游", "中游" or "下游"', row, "segments.stage")
        return None
    code = _STAGE_CODES.get(value.strip().lower()) if isinstance(value, str) else None
    if code is None:
        check.add(
            f"unknown stage {value!r}{_suggest(str(value), list(_STAGE_CODES))}; "
            "use 上游, 中游 or 下游 (upstream, midstream, downstream)",
            row,
            "segments.stage",
        )
    return code


def _parse_order(check: _FileChecker, value: Any, row: int, count: int) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= max(count, 1):
        shown = "nothing" if value is None else repr(value)
        check.add(
            f"order must be a whole number from 1 to {count} (the segment count), got {shown}",
            row,
            "segments.order",
        )
        return None
    return value


def _parse_codes(check: _FileChecker, value: Any, row: int) -> tuple[str, ...]:
    if not isinstance(value, list):
        check.add(
            f'industry_codes must be a list such as ["3841"], got {value!r}',
            row,
            "segments.industry_codes",
        )
        return ()
    codes = []
    for code in value:
        if isinstance(code, str) and _CODE_RE.fullmatch(code):
            if industry_name(code) is None:
                near = closest_codes(code)
                check.add(
                    f"industry code {code!r} is not in the GB/T 4754-2017 table "
                    f"(data/{TABLE_FILE}; a GB/T 4754-2011 code?)"
                    + (f"; codes near it: {', '.join(near)}" if near else "")
                    + "; use the 2017 小类 that fits the segment, or leave the code out",
                    row,
                    "segments.industry_codes",
                )
                continue
            codes.append(code)
        else:
            check.add(
                f"industry code {code!r} is not a GB/T 4754-2017 小类 code; write 4 digits "
                'in double quotes, keeping leading zeros (e.g. "3841", "0610")',
                row,
                "segments.industry_codes",
            )
    return tuple(codes)


def _check_order(check: _FileChecker, segments: list[SegmentTemplate]) -> None:
    """Orders run upstream first: a higher order never has a lower stage."""
    highest: SegmentTemplate | None = None
    for segment in sorted(segments, key=lambda s: s.order):
        if highest is not None and _STAGE_RANK[segment.stage] < _STAGE_RANK[highest.stage]:
            check.add(
                f"{segment.stage_label} segment {segment.name!r} has order {segment.order}, "
                f"after {highest.stage_label} segment {highest.name!r} (order {highest.order}); "
                "number upstream segments first: 上游 < 中游 < 下游",
                _row_of(segment.source),
                "segments.order",
            )
        elif highest is None or _STAGE_RANK[segment.stage] > _STAGE_RANK[highest.stage]:
            highest = segment


def _parse_feeds(
    check: _FileChecker,
    chain: str,
    names: Mapping[str, SegmentTemplate],
    rows: list[Mapping[str, Any]],
) -> list[FeedTemplate]:
    feeds: list[FeedTemplate] = []
    first_row: dict[tuple[str, str], int] = {}
    for row, table in enumerate(rows, start=1):
        check.unknown_keys(table, _FEED_KEYS, row, "feeds.")
        start = _segment_ref(check, table, "from", names, row, "feeds")
        end = _segment_ref(check, table, "to", names, row, "feeds")
        product = check.text(table, "product", row, "feeds.product", required=False)
        cycle_ok = table.get("cycle_ok", False)
        if not isinstance(cycle_ok, bool):
            check.add(f"cycle_ok must be true or false, got {cycle_ok!r}", row, "feeds.cycle_ok")
            cycle_ok = False
        if start is None or end is None:
            continue
        if start == end:
            check.add(
                f"segment {start!r} feeds itself; a feed joins two different segments",
                row,
                "feeds.to",
            )
            continue
        if (start, end) in first_row:
            check.add(
                f"duplicate feed {start!r} -> {end!r} (first at row "
                f"{first_row[start, end]}); delete one",
                row,
                "feeds",
            )
            continue
        first_row[start, end] = row
        upstream, downstream = names[start], names[end]
        if not cycle_ok and _STAGE_RANK[upstream.stage] > _STAGE_RANK[downstream.stage]:
            check.add(
                f"feed {start!r} ({upstream.stage_label}) -> {end!r} ({downstream.stage_label}) "
                "runs backwards; FEEDS go 上游 -> 中游 -> 下游: swap from and to, fix a stage, "
                "or mark a deliberate loop (e.g. recycling) with cycle_ok = true",
                row,
                "feeds",
            )
        feeds.append(
            FeedTemplate(chain, start, chain, end, product, f"{check.file}#feeds[{row}]", cycle_ok)
        )
    return feeds


def _segment_ref(
    check: _FileChecker,
    table: Mapping[str, Any],
    key: str,
    names: Mapping[str, SegmentTemplate],
    row: int,
    array: str,
) -> str | None:
    name = check.text(table, key, row, f"{array}.{key}", required=True)
    if name is None:
        return None
    if name not in names:
        if name in check.declared:
            return None
        check.add(
            f"{key} = {name!r} is not a segment of this chain{_suggest(name, names)}",
            row,
            f"{array}.{key}",
        )
        return None
    return name


def _check_cycles(check: _FileChecker, feeds: list[FeedTemplate]) -> None:
    """Report each undeclared cycle once, at the feed that closes it."""
    edges: dict[str, list[FeedTemplate]] = {}
    for feed in feeds:
        if not feed.cycle_ok:
            edges.setdefault(feed.from_segment, []).append(feed)
    state: dict[str, int] = {}  # 1: on the current path, 2: finished
    path: list[FeedTemplate] = []

    def visit(node: str) -> None:
        state[node] = 1
        for feed in edges.get(node, []):
            target = feed.to_segment
            if state.get(target) == 1:
                walk = [*path, feed]
                start = next(i for i, f in enumerate(walk) if f.from_segment == target)
                cycle = [f.from_segment for f in walk[start:]] + [target]
                check.add(
                    f"feeds form a cycle {' -> '.join(cycle)}; FEEDS within a chain run one way: "
                    "remove an edge, or mark a deliberate loop (e.g. recycling) with "
                    "cycle_ok = true on the edge that closes it",
                    _row_of(feed.source),
                    "feeds",
                )
            elif target not in state:
                path.append(feed)
                visit(target)
                path.pop()
        state[node] = 2

    for node in list(edges):
        if node not in state:
            visit(node)


def _check_connected(
    check: _FileChecker, segments: list[SegmentTemplate], feeds: list[FeedTemplate]
) -> None:
    if len(segments) < 2:
        return
    touched = {f.from_segment for f in feeds} | {f.to_segment for f in feeds}
    for segment in segments:
        if segment.name not in touched:
            check.add(
                f"segment {segment.name!r} is not connected: no [[feeds]] entry has it as "
                "from or to; add a feed from its supplier or to its customer segment",
                _row_of(segment.source),
                "segments.name",
            )


def _parse_cross(
    check: _FileChecker, names: Mapping[str, SegmentTemplate], rows: list[Mapping[str, Any]]
) -> list[_Cross]:
    cross = []
    for row, table in enumerate(rows, start=1):
        check.unknown_keys(table, _CROSS_KEYS, row, "cross_feeds.")
        start = _segment_ref(check, table, "from", names, row, "cross_feeds")
        to_chain = check.text(table, "to_chain", row, "cross_feeds.to_chain", required=True)
        end = check.text(table, "to", row, "cross_feeds.to", required=True)
        product = check.text(table, "product", row, "cross_feeds.product", required=False)
        if start is not None and to_chain is not None and end is not None:
            cross.append(_Cross(start, to_chain, end, product, row))
    return cross


# ---------------------------------------------------------------- across files


def _link(
    parsed: list[_Parsed], known_chains: Collection[str] | None, problems: list[Problem]
) -> list[ChainTemplate]:
    by_chain: dict[str, _Parsed] = {}
    for item in parsed:
        if item.chain is None:
            continue
        if item.chain in by_chain:
            problems.append(
                Problem(
                    item.file,
                    f"chain {item.chain!r} is already defined in {by_chain[item.chain].file}; "
                    "keep one file per chain (merge the two files or delete one)",
                    None,
                    "chain",
                )
            )
            continue
        if known_chains is not None and item.chain not in known_chains:
            problems.append(
                Problem(
                    item.file,
                    f"unknown chain {item.chain!r}{_suggest(item.chain, known_chains)}: "
                    "use the chain name exactly as the roster (分工表) writes it",
                    None,
                    "chain",
                )
            )
        by_chain[item.chain] = item
    templates = []
    for item in parsed:
        if item.chain is None or by_chain.get(item.chain) is not item:
            continue
        feeds = list(item.feeds)
        for cross in item.cross:
            feed = _resolve_cross(item, cross, by_chain, known_chains, problems)
            if feed is not None:
                feeds.append(feed)
        templates.append(
            ChainTemplate(
                item.chain,
                item.cluster,
                tuple(sorted(item.segments, key=lambda s: (s.order, _row_of(s.source)))),
                tuple(feeds),
                item.file,
                item.version,
                item.source,
                tuple(item.renames),
            )
        )
    return templates


def _resolve_cross(
    item: _Parsed,
    cross: _Cross,
    by_chain: Mapping[str, _Parsed],
    known_chains: Collection[str] | None,
    problems: list[Problem],
) -> FeedTemplate | None:
    def report(message: str, column: str) -> None:
        problems.append(Problem(item.file, message, cross.row, column))

    target = by_chain.get(cross.to_chain)
    if cross.to_chain == item.chain:
        report(
            "to_chain is this chain itself; write edges within a chain as [[feeds]]",
            "cross_feeds.to_chain",
        )
        return None
    if target is None:
        if known_chains is not None and cross.to_chain in known_chains:
            pass  # a known chain whose template is not loaded: its segments cannot be checked
        else:
            candidates = set(by_chain) | set(known_chains or ())
            report(
                f"to_chain {cross.to_chain!r} is not a known chain"
                f"{_suggest(cross.to_chain, candidates)}",
                "cross_feeds.to_chain",
            )
            return None
    elif cross.to_segment not in {s.name for s in target.segments}:
        report(
            f"to = {cross.to_segment!r} is not a segment of {cross.to_chain}"
            f"{_suggest(cross.to_segment, [s.name for s in target.segments])}",
            "cross_feeds.to",
        )
        return None
    assert item.chain is not None
    return FeedTemplate(
        item.chain,
        cross.from_segment,
        cross.to_chain,
        cross.to_segment,
        cross.product,
        f"{item.file}#cross_feeds[{cross.row}]",
    )


def _row_of(source: str) -> int:
    return int(source.rsplit("[", 1)[1].rstrip("]"))


def _suggest(given: str, candidates: Iterable[str]) -> str:
    """`` (did you mean 'x'?)`` naming the closest candidates, or nothing when none is close."""
    scored = sorted(
        ((difflib.SequenceMatcher(None, given, c).ratio(), c) for c in set(candidates)),
        key=lambda pair: (-pair[0], pair[1]),
    )
    if not scored or scored[0][0] < 0.5:
        return ""
    # Only the near-best: a distant runner-up is noise, not help.
    close = [c for ratio, c in scored[:3] if ratio >= scored[0][0] - 0.1]
    return " (did you mean " + " or ".join(repr(c) for c in close) + "?)"
