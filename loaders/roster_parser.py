"""Parse the 61号 notice (豫政办〔2021〕61号, text converted from PDF) into a typed Roster.

Pure: text in, ``Roster`` out; no store, no network. The only file reads are the packaged
document and errata, behind ``default_document_path`` and ``load_errata``.

The attached table (附件 分工表) arrives damaged the way extracted tables are; the parser
repairs it mechanically, and every repair that changes content is written as a Note:

* repeated page headers (序号 重大集群 ...) and page-number lines are skipped;
* a row whose 序号/重大集群/重点产业链 cells are all empty continues the row before it
  (a row pushed across a page break, or a wrapped cell), and is merged into it;
* merged cells: a cluster label (序号, 重大集群, 群链长) starts a block; the rows after
  it belong to it. Where the label sits on another row than the block's first, text
  alone cannot tell, so such boundaries are fixed by the reviewed errata file;
* cells shifted left over a blank cell are realigned by what they hold: a person name
  goes to 群链长, a cell of government units to 群链长责任单位, other organisations to
  盟会长单位;
* names broken by a space are joined (see ``split_org_names``); repeated units in one
  cell are de-duplicated.

A value the document leaves blank stays blank and is reported as a ``gap`` note.
"""

from __future__ import annotations

import datetime
import importlib.resources
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from chainkg.errors import InputError, Problem, RosterParseError
from chainkg.loaders.roster_model import (
    Cadence,
    Chain,
    Cluster,
    DocumentMeta,
    Duty,
    Mechanism,
    Note,
    OrgKind,
    OrgRef,
    Role,
    Roster,
)

DOCUMENT_FILE = "yuzhengban-2021-61.md"
ERRATA_FILE = "roster-errata.toml"

HEADER_COLUMNS = ("序号", "重大集群", "重点产业链", "群链长", "群链长责任单位", "盟会长单位")
_HEADER_SIGNATURE = "".join(HEADER_COLUMNS)
_SEQ, _CLUSTER, _CHAIN, _CHIEF, _UNITS, _CHAIRS = range(6)
_COLUMN_LABEL = dict(enumerate(HEADER_COLUMNS))

# Name endings, longest first, and the kind each implies. Order matters: a 研究院有限公司
# is an enterprise, a 研究院 an institute.
_KIND_SUFFIXES: tuple[tuple[OrgKind, tuple[str, ...]], ...] = (
    ("enterprise", ("公司", "集团", "厂")),
    ("institute", ("研究院", "研究所", "研究中心", "科学院")),
    ("university", ("大学", "学院")),
    ("alliance", ("联盟",)),
    ("association", ("协会", "商会", "学会")),
    ("government", ("厅", "委", "局", "办", "办公室", "政府", "管委会", "委员会")),
)
ORG_SUFFIXES: tuple[str, ...] = tuple(
    sorted(
        {s for _, group in _KIND_SUFFIXES for s in group} | {"中心", "医院", "银行"},
        key=len,
        reverse=True,
    )
)
# A fragment that is nothing but a legal form belongs to the name before it:
# "中国平煤神马能源化工集团 有限责任公司" is one name.
_LEGAL_FORM_ONLY = re.compile(r"^(?:[（(]?集团[)）]?)?(?:股份)?(?:有限)?(?:责任)?公司$")
_PERSON = re.compile(r"^[\u4e00-\u9fff·]{2,5}$")
_FUTURE_MARK = re.compile(r"\s*(?:\\\*|\*|＊)\s*$")
_PAGE_NUMBER = re.compile(r"^[—–\-－\s]*\d{1,3}[—–\-－\s]*$")
_GENERAL_CHIEF = re.compile(r"^总群链长\s*[：:]\s*(.*)$")
_DOC_NUMBER = re.compile(r"([\u4e00-\u9fff]{1,12})\s*[〔\[［【](\d{4})[〕\]］】]\s*(\d+)\s*号")
_ISSUED = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*印发")
_TITLE = re.compile(r"^关于.+(?:通知|意见|决定|办法|方案)$")


# ---------------------------------------------------------------------------------------
# Names and kinds


def _no_space(text: str) -> str:
    return "".join(text.split())


def _ends_with_suffix(name: str) -> bool:
    return name.endswith(ORG_SUFFIXES)


def org_kind(name: str) -> OrgKind:
    """The kind of organisation a name denotes, read from its ending; "other" if none fits."""
    for kind, suffixes in _KIND_SUFFIXES:
        if name.endswith(suffixes):
            return kind
    return "other"


def split_org_names(cell: str) -> list[str]:
    """Split one table cell into organisation names, rejoining names broken by whitespace.

    Whitespace-separated fragments are joined until the accumulated text ends in a known
    organisation suffix (公司, 集团, 厅, 委, 联盟, 协会, 大学, ...); a fragment that is only
    a legal form (有限责任公司, 股份有限公司, ...) joins the name before it. So
    "河南省 5G 产业联盟" is one name and "省发展改革委 省工业和信息化厅" two. Trailing text
    with no suffix is kept as one last name. Output names carry no whitespace.
    """
    names: list[str] = []
    pending = ""
    for fragment in cell.split():
        if pending:
            pending += fragment
        elif names and _LEGAL_FORM_ONLY.match(fragment):
            names[-1] += fragment
            continue
        else:
            pending = fragment
        if _ends_with_suffix(pending):
            names.append(pending)
            pending = ""
    if pending:
        names.append(pending)
    return names


def split_person_names(cell: str) -> list[str]:
    """Split a 群链长 cell into person names: "周 霁" is one name, "周霁 王凯" two.

    Chinese given names and surnames are one or two characters, so a one-character
    fragment can only be part of a name broken by a space: then the cell is one name.
    """
    fragments = cell.split()
    if len(fragments) > 1 and all(len(f) >= 2 for f in fragments):
        return fragments
    return [_no_space(cell)] if fragments else []


def _is_person_cell(cell: str) -> bool:
    names = split_person_names(cell)
    return bool(names) and all(_PERSON.match(n) and org_kind(n) == "other" for n in names)


# ---------------------------------------------------------------------------------------
# Errata


ERRATA_ACTIONS: dict[str, dict[str, type]] = {
    "move_chain": {"chain": str, "from_cluster": int, "to_cluster": int},
    "rename_chain": {"chain": str, "new_name": str},
}
_COMMON_KEYS: dict[str, type] = {"id": str, "action": str, "reason": str}


@dataclass(frozen=True)
class Correction:
    """One reviewed errata entry: a change parsing cannot decide, with a checkable reason."""

    id: str
    action: str
    reason: str
    params: tuple[tuple[str, object], ...]
    line: int | None = None

    def param(self, key: str) -> object:
        """The value of one action parameter (e.g. ``chain``)."""
        return dict(self.params)[key]


@dataclass(frozen=True)
class Rename:
    """A chain the previous edition called ``chain`` and this edition calls ``new_name``."""

    chain: str
    new_name: str
    reason: str
    line: int | None = None


@dataclass(frozen=True)
class Errata:
    """A validated errata file: its path (for messages) and its corrections in file order.

    ``in_force`` (``[edition] in_force``) is the date the notice takes effect (default: its
    印发 date); ``renames`` (``[[renamed]]``) carry chains over from the previous edition.
    """

    source: str
    corrections: tuple[Correction, ...] = field(default_factory=tuple)
    in_force: datetime.date | None = None
    renames: tuple[Rename, ...] = ()


NO_ERRATA = Errata(source="(no errata)")


def _data_dir() -> Path:
    try:
        return Path(str(importlib.resources.files("chainkg.data")))
    except ModuleNotFoundError:
        # chainkg.data without an __init__.py is not importable; its folder sits two
        # levels above this module both in the repository and in an installed wheel.
        return Path(__file__).resolve().parent.parent / "data"


def default_document_path() -> Path:
    """The packaged copy of the notice text, data/yuzhengban-2021-61.md."""
    return _data_dir() / DOCUMENT_FILE


def default_errata_path() -> Path:
    """The packaged reviewed errata, data/roster-errata.toml."""
    return _data_dir() / ERRATA_FILE


def load_errata(path: Path | None = None) -> Errata:
    """Read and validate an errata TOML file (default: the packaged data/roster-errata.toml).

    Raises InputError naming the file and entry for unreadable TOML, an unknown action,
    a missing or mistyped key, an unknown key, an empty reason or a repeated id.
    """
    path = default_errata_path() if path is None else Path(path)
    name = str(path)
    try:
        raw = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError([Problem(name, f"cannot read the errata file: {exc}")]) from exc
    return parse_errata(raw, source=name)


def parse_errata(raw: str, *, source: str) -> Errata:
    """Validate errata TOML text; ``source`` names the file in error messages."""
    try:
        data = tomllib.loads(raw)
    except tomllib.TOMLDecodeError as exc:
        raise InputError([Problem(source, f"not valid TOML: {exc}")]) from exc
    unknown_top = sorted(set(data) - {"correction", "edition", "renamed"})
    if unknown_top:
        raise InputError(
            [
                Problem(
                    source,
                    f"unknown top-level keys {unknown_top}; write each entry as a "
                    "[[correction]] or [[renamed]] table, the date in force as [edition]",
                )
            ]
        )
    in_force, renames = _parse_edition(raw, data, source)
    entries = data.get("correction", [])
    if not isinstance(entries, list):
        raise InputError(
            [Problem(source, "'correction' must be an array of tables ([[correction]])")]
        )
    header_lines = [
        i for i, line in enumerate(raw.splitlines(), 1) if line.strip().startswith("[[correction]]")
    ]
    problems: list[Problem] = []
    corrections: list[Correction] = []
    seen: set[str] = set()
    for index, entry in enumerate(entries):
        line = header_lines[index] if index < len(header_lines) else None
        label = f"entry {index + 1} (id {entry.get('id')!r})"
        action = entry.get("action")
        if action not in ERRATA_ACTIONS:
            problems.append(
                Problem(
                    source,
                    f"{label}: unknown action {action!r}; use one of {sorted(ERRATA_ACTIONS)}",
                    row=line,
                    column="action",
                )
            )
            continue
        expected = {**_COMMON_KEYS, **ERRATA_ACTIONS[action]}
        entry_problems = []
        for key, kind in expected.items():
            value = entry.get(key)
            if not isinstance(value, kind) or isinstance(value, bool):
                entry_problems.append(
                    Problem(
                        source,
                        f"{label}: {action} needs {key!r} as {kind.__name__}, got {value!r}",
                        row=line,
                        column=key,
                    )
                )
            elif kind is str and not value.strip():
                entry_problems.append(
                    Problem(
                        source,
                        f"{label}: {key!r} is empty; a reviewer must be able to check "
                        "every correction",
                        row=line,
                        column=key,
                    )
                )
        for key in sorted(set(entry) - set(expected)):
            entry_problems.append(
                Problem(
                    source,
                    f"{label}: unknown key {key!r} for action "
                    f"{action}; allowed: {sorted(expected)}",
                    row=line,
                    column=key,
                )
            )
        if entry.get("id") in seen:
            entry_problems.append(
                Problem(source, f"{label}: id repeated; ids must be unique", row=line, column="id")
            )
        seen.add(entry.get("id"))
        problems.extend(entry_problems)
        if not entry_problems:
            params = tuple((k, entry[k]) for k in ERRATA_ACTIONS[action])
            reason = " ".join(entry["reason"].split())  # TOML line wraps are not content
            corrections.append(Correction(entry["id"], action, reason, params, line))
    if problems:
        raise InputError(problems, hint="fix the errata file; see its header comment")
    return Errata(source=source, corrections=tuple(corrections), in_force=in_force, renames=renames)


def _parse_edition(
    raw: str, data: dict, source: str
) -> tuple[datetime.date | None, tuple[Rename, ...]]:
    """``[edition] in_force`` and the ``[[renamed]]`` entries, validated (docs/roster.md)."""
    lines = raw.splitlines()
    edition_line = next((i for i, line in enumerate(lines, 1) if line.strip() == "[edition]"), None)
    problems: list[Problem] = []
    edition = data.get("edition", {})
    in_force = None
    if not isinstance(edition, dict):
        problems.append(Problem(source, "'edition' must be a table: [edition]"))
    else:
        for key in sorted(set(edition) - {"in_force"}):
            problems.append(
                Problem(
                    source,
                    f"[edition]: unknown key {key!r}; allowed: ['in_force']",
                    row=edition_line,
                    column=key,
                )
            )
        value = edition.get("in_force")
        if value is not None and (
            not isinstance(value, datetime.date) or isinstance(value, datetime.datetime)
        ):
            problems.append(
                Problem(
                    source,
                    f"[edition]: in_force must be a date written as 2025-03-01, got {value!r}",
                    row=edition_line,
                    column="in_force",
                )
            )
        else:
            in_force = value
    entries = data.get("renamed", [])
    if not isinstance(entries, list):
        entries = []
        problems.append(Problem(source, "'renamed' must be an array of tables ([[renamed]])"))
    headers = [i for i, line in enumerate(lines, 1) if line.strip() == "[[renamed]]"]
    renames: list[Rename] = []
    seen: dict[str, int | None] = {}
    for index, entry in enumerate(entries):
        line = headers[index] if index < len(headers) else None
        label = f"renamed entry {index + 1}"
        bad = False
        for key in ("chain", "new_name", "reason"):
            value = entry.get(key)
            if not isinstance(value, str) or not value.strip():
                problems.append(
                    Problem(
                        source,
                        f"{label}: {key!r} must be non-empty text, got {value!r}; write the "
                        "chain's name in the previous edition (chain), in this one (new_name) "
                        "and why (reason)",
                        row=line,
                        column=key,
                    )
                )
                bad = True
        for key in sorted(set(entry) - {"chain", "new_name", "reason"}):
            problems.append(
                Problem(
                    source,
                    f"{label}: unknown key {key!r}; allowed: ['chain', 'new_name', 'reason']",
                    row=line,
                    column=key,
                )
            )
            bad = True
        if bad:
            continue
        old = _no_space(entry["chain"])
        if old in seen:
            problems.append(
                Problem(
                    source,
                    f"{label}: chain {old!r} is renamed twice (also line {seen[old]}); keep one",
                    row=line,
                    column="chain",
                )
            )
            continue
        seen[old] = line
        reason = " ".join(entry["reason"].split())
        renames.append(Rename(old, _no_space(entry["new_name"]), reason, line))
    if problems:
        raise InputError(problems, hint="fix the errata file; see docs/roster.md")
    return in_force, tuple(renames)


# ---------------------------------------------------------------------------------------
# Lines and metadata


def _lines(text: str) -> list[str]:
    # split("\n") rather than splitlines(): a form feed from PDF extraction must not
    # shift the line numbers a reviewer sees in an editor.
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    return [line.replace("\x0c", "") for line in text.split("\n")]


def _plain(line: str) -> str:
    """A body line without markdown heading/bold/escape marks, stripped."""
    line = line.strip().lstrip("#").strip()
    line = line.replace("**", "").replace("\\*", "*")
    return line.strip()


def _fail(source_name: str, line: int | None, message: str, column: str | None = None) -> None:
    raise RosterParseError([Problem(source_name, message, row=line, column=column)])


def _parse_meta(lines: list[str], source_name: str, notes: list[Note]) -> DocumentMeta:
    number = number_line = None
    for i, line in enumerate(lines, 1):
        match = _DOC_NUMBER.search(line)
        if match:
            number = f"{match.group(1)}〔{match.group(2)}〕{match.group(3)}号"
            number_line = i
            break
    if number is None:
        _fail(
            source_name,
            None,
            "no document number (文号) found; expected a line like "
            "'豫政办〔2021〕61号' near the top",
        )
    title = None
    for i, line in enumerate(lines, 1):
        plain = _plain(line)
        if _TITLE.match(_no_space(plain)):
            title = _no_space(plain)
            if title != plain:
                notes.append(
                    Note(
                        "normalisation",
                        f"标题中的空白已删除（仅删除空白，文字未改）：“{plain}” -> "
                        f"“{title}” (whitespace only removed from the title)",
                        f"{number} 标题",
                        i,
                    )
                )
            break
    if title is None:
        _fail(
            source_name,
            None,
            "no title found; expected a heading line starting with '关于' and ending with '通知'",
        )
    issued = issued_line = None
    for i, line in enumerate(lines, 1):
        match = _ISSUED.search(line)
        if match:
            try:
                issued = datetime.date(*(int(g) for g in match.groups()))
            except ValueError:
                _fail(
                    source_name,
                    i,
                    f"the issue date {match.group(0)!r} is not a real date; "
                    "fix it to a valid 'YYYY年M月D日印发'",
                    column="印发",
                )
            issued_line = i
            break
    if issued is None:
        _fail(
            source_name,
            None,
            "no issue date found; expected a line like "
            "'2021年10月21日印发' at the end of the notice",
        )
    issuer = ""
    for line in reversed(lines[: issued_line - 1]):
        plain = _plain(line)
        if plain and not plain.startswith("---"):
            issuer = _no_space(plain)
            break
    if not issuer.endswith(("办公厅", "政府", "厅", "委", "局", "办公室")):
        heading = next((_plain(x) for x in lines if _plain(x).endswith("文件")), "")
        issuer = _no_space(heading.removesuffix("文件"))
    if not issuer:
        _fail(
            source_name,
            issued_line,
            "no issuing office found on the line before the issue date nor in a '…文件' heading",
        )
    assert number is not None and title is not None and number_line is not None
    return DocumentMeta(number=number, title=title, issuer=issuer, issued=issued, line=number_line)


# ---------------------------------------------------------------------------------------
# The table


@dataclass
class _Row:
    index: int  # 1-based data-row number within the table
    line: int
    cells: list[str]


@dataclass
class _ChainDraft:
    seq: int
    name: str
    future: bool
    cluster_seq: int
    units: list[OrgRef]
    chairs: list[OrgRef]
    row: int
    line: int


@dataclass
class _ClusterDraft:
    seq: int
    name: str
    chiefs: list[str]
    row: int
    line: int


def _is_header(line: str) -> bool:
    return _no_space(line) == _HEADER_SIGNATURE


def _table_rows(lines: list[str], source_name: str) -> tuple[list[_Row], int, int]:
    """The table's data rows (page headers skipped, continuations merged), plus the
    header's line and the line of 备注 (0 if none)."""
    start = next((i for i, line in enumerate(lines, 1) if _is_header(line)), None)
    if start is None:
        _fail(
            source_name,
            None,
            "no roster table found: expected a header line with the "
            "tab-separated columns " + " ".join(HEADER_COLUMNS),
        )
    assert start is not None
    rows: list[_Row] = []
    remark_line = 0
    for number, line in enumerate(lines[start:], start + 1):
        stripped = line.strip()
        if stripped.startswith("备注"):
            remark_line = number
            break
        if stripped.startswith("---"):
            break
        if not stripped or _is_header(line) or _PAGE_NUMBER.match(stripped):
            continue
        if "\t" not in line and not _GENERAL_CHIEF.match(stripped):
            # Untabbed text inside the table is a wrapped fragment of the last cell.
            if not rows:
                _fail(
                    source_name,
                    number,
                    f"text {stripped!r} before the first table row; expected a tab-separated row",
                )
            last = rows[-1].cells
            target = max(i for i, c in enumerate(last) if c) if any(last) else _CHAIRS
            last[target] = f"{last[target]} {stripped}".strip()
            continue
        cells = [c.strip() for c in line.split("\t")]
        extra = [c for c in cells[len(HEADER_COLUMNS) :] if c]
        if extra:
            _fail(
                source_name,
                number,
                f"row has more than {len(HEADER_COLUMNS)} columns "
                f"(extra {extra}); join or remove the extra cells",
            )
        cells = (cells + [""] * len(HEADER_COLUMNS))[: len(HEADER_COLUMNS)]
        if not (cells[_SEQ] or cells[_CLUSTER] or cells[_CHAIN]):
            if not rows:
                _fail(
                    source_name,
                    number,
                    "the first table row has no 序号, 重大集群 or "
                    "重点产业链; a row cannot continue a row before it "
                    "when there is none",
                )
            # No 序号/集群/产业链: the rest of the row before, pushed across a page break.
            previous = rows[-1].cells
            for i, cell in enumerate(cells):
                if cell:
                    previous[i] = f"{previous[i]} {cell}".strip()
            continue
        only_chain = not any(c for i, c in enumerate(cells) if i != _CHAIN)
        if (
            only_chain
            and rows
            and rows[-1].cells[_CHAIN]
            and not _FUTURE_MARK.sub("", rows[-1].cells[_CHAIN]).endswith("产业链")
        ):
            # "…（类脑" + "智能）产业链": a chain name wrapped onto a row of its own.
            rows[-1].cells[_CHAIN] += " " + cells[_CHAIN]
            continue
        rows.append(_Row(index=len(rows) + 1, line=number, cells=cells))
    return rows, start, remark_line


def _locator(number: str, row: int) -> str:
    return f"{number} 附件 表 第{row}行"


def _realign(row: _Row, where: str, notes: list[Note]) -> tuple[str, str, str]:
    """Put the 群链长/责任单位/盟会长 cells where their content says they belong."""
    slots = ["", "", ""]
    moves: list[str] = []
    next_free = 0
    for column in (_CHIEF, _UNITS, _CHAIRS):
        cell = row.cells[column]
        if not cell:
            continue
        if _is_person_cell(cell):
            wanted = 0
        elif all(org_kind(n) == "government" for n in split_org_names(cell)):
            wanted = 1
        else:
            wanted = 2
        slot = max(wanted, next_free)
        if slot > 2 or (wanted == 0 and slot != 0):
            raise RosterParseError(
                [
                    Problem(
                        where,
                        f"cannot place {cell!r} ({_COLUMN_LABEL[column]} column): cells must "
                        "read 群链长 (a person), 群链长责任单位 (government units), 盟会长单位 "
                        "(organisations) in that order",
                        row=row.line,
                        column=_COLUMN_LABEL[column],
                    )
                ]
            )
        slots[slot] = cell
        next_free = slot + 1
        if slot != column - _CHIEF:
            moves.append(f"“{cell}”从{_COLUMN_LABEL[column]}列移至{_COLUMN_LABEL[slot + _CHIEF]}列")
    if moves:
        notes.append(
            Note(
                "normalisation",
                f"第{row.index}行单元格错位，按内容归位：{'；'.join(moves)}"
                "（空白单元格导致左移；cells shifted left over a blank cell were "
                "realigned by content: person -> 群链长, government units -> "
                "责任单位, other organisations -> 盟会长单位）",
                where,
                row.line,
            )
        )
    return slots[0], slots[1], slots[2]


def _orgs(cell: str, label: str, where: str, line: int, notes: list[Note]) -> list[OrgRef]:
    fragments = cell.split()
    names = split_org_names(cell)
    for name in names:
        if name not in fragments:
            notes.append(
                Note(
                    "normalisation",
                    f"{label}名称被空白断开，已连接：“{name}”（仅删除空白；"
                    "a name broken by whitespace was joined）",
                    where,
                    line,
                )
            )
    unique = list(dict.fromkeys(names))
    if len(unique) < len(names):
        repeated = sorted({n for n in names if names.count(n) > 1}, key=names.index)
        notes.append(
            Note(
                "normalisation",
                f"{label}单元格重复列出{'、'.join(repeated)}，已去重：“{cell}” -> "
                f"“{' '.join(unique)}”（a unit repeated in one cell was listed once）",
                where,
                line,
            )
        )
    refs = [OrgRef(name, org_kind(name)) for name in unique]
    for ref in refs:
        if ref.kind == "other":
            notes.append(
                Note(
                    "gap",
                    f"无法从名称判断“{ref.name}”的机构类型，记为 other "
                    "(organisation kind not recognised from its name)",
                    where,
                    line,
                )
            )
    return refs


def _parse_table(
    lines: list[str], number: str, source_name: str, notes: list[Note]
) -> tuple[str, str, int, list[_ClusterDraft], list[_ChainDraft]]:
    rows, _header_line, remark_line = _table_rows(lines, source_name)
    general_chief, general_where, general_line = "", "", 0
    clusters: list[_ClusterDraft] = []
    chains: list[_ChainDraft] = []
    for row in rows:
        where = _locator(number, row.index)
        first = next((c for c in row.cells if c), "")
        chief_match = _GENERAL_CHIEF.match(first)
        if chief_match:
            general_chief = _no_space(chief_match.group(1))
            general_where, general_line = where, row.line
            if not general_chief:
                notes.append(
                    Note(
                        "gap",
                        "总群链长姓名空白，未填写 (the 总群链长 name is blank)",
                        where,
                        row.line,
                    )
                )
            elif general_chief != chief_match.group(1).strip():
                notes.append(
                    Note(
                        "normalisation",
                        f"人名被空白断开，已连接：“{general_chief}”（仅删除空白）",
                        where,
                        row.line,
                    )
                )
            continue
        chief_cell, units_cell, chairs_cell = _realign(row, where, notes)
        seq_cell, cluster_name = row.cells[_SEQ], _no_space(row.cells[_CLUSTER])
        if seq_cell or cluster_name:
            if not seq_cell.isdigit():
                _fail(
                    source_name,
                    row.line,
                    f"序号 {seq_cell!r} is not a whole number; a "
                    "cluster label needs 序号 and 重大集群",
                    "序号",
                )
            if not cluster_name:
                _fail(
                    source_name,
                    row.line,
                    f"cluster 序号 {seq_cell} has no 重大集群 name",
                    "重大集群",
                )
            if any(c.seq == int(seq_cell) for c in clusters):
                _fail(source_name, row.line, f"cluster 序号 {seq_cell} appears twice", "序号")
            clusters.append(_ClusterDraft(int(seq_cell), cluster_name, [], row.index, row.line))
        if chief_cell:
            if not clusters:
                _fail(
                    source_name,
                    row.line,
                    f"群链长 {chief_cell!r} before any cluster label",
                    "群链长",
                )
            if clusters[-1].chiefs:
                _fail(
                    source_name,
                    row.line,
                    f"a second 群链长 {chief_cell!r} for cluster "
                    f"{clusters[-1].seq}; put all its chiefs in one "
                    "cell",
                    "群链长",
                )
            persons = split_person_names(chief_cell)
            clusters[-1].chiefs = persons
            if len(persons) == 1 and persons[0] != chief_cell:
                notes.append(
                    Note(
                        "normalisation",
                        f"人名被空白断开，已连接：“{chief_cell}” -> “{persons[0]}”"
                        "（仅删除空白；a person name broken by a space was joined）",
                        where,
                        row.line,
                    )
                )
        chain_cell = row.cells[_CHAIN]
        if not chain_cell:
            continue
        if not clusters:
            _fail(
                source_name,
                row.line,
                f"chain row {chain_cell!r} comes before any cluster "
                "label; the first chain row needs 序号 and 重大集群",
                "重点产业链",
            )
        future = bool(_FUTURE_MARK.search(chain_cell))
        raw_name = _FUTURE_MARK.sub("", chain_cell)
        name = _no_space(raw_name)
        if name != raw_name:
            notes.append(
                Note(
                    "normalisation",
                    f"产业链名称被空白断开，已连接：“{raw_name}” -> “{name}”（仅删除空白）",
                    where,
                    row.line,
                )
            )
        units = _orgs(units_cell, "群链长责任单位", where, row.line, notes)
        chairs = _orgs(chairs_cell, "盟会长单位", where, row.line, notes)
        chains.append(
            _ChainDraft(
                len(chains) + 1, name, future, clusters[-1].seq, units, chairs, row.index, row.line
            )
        )
        if not units:
            notes.append(
                Note(
                    "gap",
                    f"“{name}”的群链长责任单位空白 (no responsible unit given)",
                    where,
                    row.line,
                )
            )
        if not chairs:
            notes.append(
                Note(
                    "gap",
                    f"“{name}”的盟会长单位空白 (no alliance-chair unit given)",
                    where,
                    row.line,
                )
            )
    if not chains:
        _fail(source_name, None, "the roster table has no chain rows")
    if any(c.future for c in chains) and not remark_line:
        notes.append(
            Note(
                "gap",
                "表中有*号产业链，但缺少“备注：标*号为…”说明 (the * legend is "
                "missing; future=True is read from the * alone)",
                f"{number} 附件 表",
                None,
            )
        )
    return general_chief, general_where, general_line, clusters, chains


def _apply_errata(
    errata: Errata,
    clusters: list[_ClusterDraft],
    chains: list[_ChainDraft],
    number: str,
    notes: list[Note],
) -> None:
    name_of = {c.seq: c.name for c in clusters}
    errata_name = Path(errata.source).name
    for fix in errata.corrections:

        def problem(column: str, message: str, fix: Correction = fix) -> InputError:
            return InputError(
                [
                    Problem(
                        errata.source, f"entry {fix.id!r}: {message}", row=fix.line, column=column
                    )
                ],
                hint="errata targets must match the parsed roster exactly",
            )

        target = str(fix.param("chain"))
        found = [c for c in chains if c.name == target]
        if not found:
            known = "、".join(c.name for c in chains)
            raise problem("chain", f"chain {target!r} not found in the roster; known: {known}")
        chain = found[0]
        where = f"{errata_name}#{fix.id}"
        if fix.action == "move_chain":
            source_seq, to_seq = fix.param("from_cluster"), fix.param("to_cluster")
            if to_seq not in name_of:
                raise problem(
                    "to_cluster",
                    f"to_cluster {to_seq} is not a cluster 序号; known: {sorted(name_of)}",
                )
            if chain.cluster_seq != source_seq:
                raise problem(
                    "from_cluster",
                    f"chain {target!r} is parsed in cluster {chain.cluster_seq}, not "
                    f"{source_seq}; the correction no longer fits the text — review "
                    "and update or remove it",
                )
            chain.cluster_seq = int(to_seq)  # type: ignore[call-overload]
            text = (
                f"勘误 {fix.id}：“{target}”由集群{source_seq}（{name_of[source_seq]}）"  # type: ignore[index]
                f"移至集群{to_seq}（{name_of[to_seq]}）(chain moved to cluster {to_seq})。"  # type: ignore[index]
                f"理由：{fix.reason}"
            )
        else:
            new_name = str(fix.param("new_name"))
            if any(c.name == new_name for c in chains):
                raise problem("new_name", f"new_name {new_name!r} is already a chain name")
            chain.name = new_name
            text = (
                f"勘误 {fix.id}：产业链名称“{target}”更正为“{new_name}” "
                f"(chain renamed)。理由：{fix.reason}"
            )
        notes.append(Note("correction", text, where, chain.line))
    for cluster in clusters:
        members = [c for c in chains if c.cluster_seq == cluster.seq]
        if not members:
            notes.append(
                Note(
                    "gap",
                    f"集群{cluster.seq}（{cluster.name}）没有产业链 (a cluster with no chain)",
                    _locator(number, cluster.row),
                    cluster.line,
                )
            )


# ---------------------------------------------------------------------------------------
# The body: roles, duties, mechanisms


_CN_NUM = "一二三四五六七八九十"
_SECTION = re.compile(rf"^([{_CN_NUM}]+)、\s*(.*)$")
_SUBSECTION = re.compile(rf"^[(（]([{_CN_NUM}]+)[)）]\s*(.*)$")
_ITEM = re.compile(r"^(\d+)[.．、]\s*(.*)$")
_SUBITEM = re.compile(r"^[(（](\d+)[)）]\s*(.*)$")
_TERMINAL = tuple("。；：！？”」）)")


@dataclass
class _Para:
    line: int
    text: str
    section: str = ""
    subsection: str = ""
    item: str = ""
    subitem: str = ""


def _body_paragraphs(lines: list[str]) -> list[_Para]:
    """Body paragraphs from 一、 to 附件：, page-broken paragraphs rejoined, numbered."""
    paras: list[_Para] = []
    started = False
    for number, line in enumerate(lines, 1):
        text = _plain(line)
        if not text:
            continue
        if text.startswith("附件"):
            break
        is_marker = bool(
            _SECTION.match(text)
            or _SUBSECTION.match(text)
            or _ITEM.match(text)
            or _SUBITEM.match(text)
        )
        if _SECTION.match(text):
            started = True
        if not started:
            continue
        previous = paras[-1] if paras else None
        if (
            previous
            and not is_marker
            and not _SECTION.match(previous.text)
            and not previous.text.endswith(_TERMINAL)
        ):
            # A paragraph cut by a page break: "…现代化水平" + "提升，带动…".
            previous.text += text
            continue
        paras.append(_Para(number, text))
    section = subsection = item = ""
    for para in paras:
        if m := _SECTION.match(para.text):
            section, subsection, item = m.group(1), "", ""
        elif m := _SUBSECTION.match(para.text):
            subsection, item = m.group(1), ""
        elif m := _ITEM.match(para.text):
            item = m.group(1)
            para.item = item
        elif m := _SUBITEM.match(para.text):
            para.subitem = m.group(1)
            para.item = item
        para.section, para.subsection = section, subsection
    return paras


def _locate(number: str, para: _Para) -> str:
    where = f"{para.section}、"
    if para.subsection:
        where += f"({para.subsection})"
    if para.item:
        where += para.item
    if para.subitem:
        where += f"({para.subitem})"
    return f"{number} {where}"


def _duty(number: str, para: _Para) -> Duty:
    body = (_SUBITEM if para.subitem else _ITEM).match(para.text)
    assert body is not None
    text = body.group(2).strip()
    first, _, rest = text.partition("。")
    title = first if rest and len(first) <= 15 else ""
    label = f"({para.subitem})" if para.subitem else para.item
    return Duty(number=label, title=title, text=text, source=_locate(number, para), line=para.line)


_ROLE_NAMES = {
    "总群链长": "general_chief",
    "群链长": "chief",
    "群链长责任单位": "responsible_unit",
    "盟会长单位": "alliance_chair",
}


def _parse_roles(paras: list[_Para], number: str, source_name: str) -> list[Role]:
    duties: dict[str, list[Duty]] = {key: [] for key in _ROLE_NAMES.values()}
    roles_of_sub: dict[str, list[str]] = {}
    for para in paras:
        if para.section != "一":
            continue
        if not para.item:
            sub = _SUBSECTION.match(para.text)
            if sub:
                heading = sub.group(2).partition("职责")[0]
                roles_of_sub[para.subsection] = [n for n in heading.split("、") if n in _ROLE_NAMES]
            continue
        names = roles_of_sub.get(para.subsection, [])
        body = (_SUBITEM if para.subitem else _ITEM).match(para.text)
        assert body is not None
        if len(names) > 1:
            # Several roles share a subsection: each item names its role first.
            lead = next(
                (
                    p
                    for p in paras
                    if p.subsection == para.subsection
                    and p.section == para.section
                    and p.item == para.item
                    and not p.subitem
                ),
                para,
            )
            lead_text = _ITEM.match(lead.text).group(2)  # type: ignore[union-attr]
            names = [n for n in sorted(names, key=len, reverse=True) if lead_text.startswith(n)][:1]
        if not names:
            continue
        key = _ROLE_NAMES[names[0]]
        has_subitems = any(
            p.subitem
            and p.item == para.item
            and p.subsection == para.subsection
            and p.section == para.section
            for p in paras
        )
        if para.subitem or not has_subitems:
            duties[key].append(_duty(number, para))
    intro = [p for p in paras if p.section == "一" and not p.subsection]
    intro_text = "".join(p.text for p in intro)
    intro_line = intro[1].line if len(intro) > 1 else (intro[0].line if intro else 0)
    patterns = {
        "general_chief": ("总群链长", r"设[^。，]*?总群链长，由(?P<held>[^。，]+?)担任"),
        "chief": ("群链长", r"设群链长(?P<quota>\d+名)，由(?:\d+名)?(?P<held>[^。，]+?)担任"),
        "responsible_unit": (
            "群链长责任单位",
            r"设群链长责任单位(?P<quota>\d+[—–\-~～]+\d+个)，由(?P<held>[^。，]+?)担任",
        ),
        "alliance_chair": (
            "盟会长单位",
            r"设盟会长单位(?P<quota>\d+[—–\-~～]+\d+个)，由(?P<held>[^。，]+?)担任",
        ),
    }
    roles: list[Role] = []
    for key, (name, pattern) in patterns.items():
        match = re.search(pattern, intro_text)
        if not match:
            _fail(
                source_name,
                intro_line or None,
                f"role {name} not found in 一、工作职责: expected a sentence like "
                f"'设{name}…，由…担任'",
            )
        assert match is not None
        line = next((p.line for p in intro if re.search(pattern, p.text)), intro_line)
        if not duties[key]:
            _fail(
                source_name,
                intro_line or None,
                f"no numbered duties found for {name} in 一、工作职责",
            )
        roles.append(
            Role(
                key=key,
                name=name,
                held_by=match.group("held"),  # type: ignore[arg-type]
                duties=tuple(duties[key]),
                source=f"{number} 一、",
                line=line,
                quota=match.groupdict().get("quota") or "",
            )
        )
    for para in paras:
        match = re.search(r"([^。，]*?)可由(.+?)担任[^。]*?副群链长，([^。]+)。", para.text)
        if match:
            held = match.group(1) + match.group(2)
            where = f"{number} {para.section}、"
            duty = Duty(number="1", title="", text=match.group(3), source=where, line=para.line)
            roles.append(
                Role(
                    key="deputy_chief",
                    name="副群链长",
                    held_by=held,
                    duties=(duty,),
                    source=where,
                    line=para.line,
                    optional=True,
                )
            )
            break
    return roles


_MECHANISM_KEYS = {
    "总群链长例会": "general_chief_meeting",
    "群链长例会": "chief_meeting",
    "群链长责任单位调度会议": "unit_dispatch_meeting",
    "联席会议": "joint_meeting",
    "产业链联盟会商": "alliance_consultation",
}
_CADENCES: tuple[tuple[str, Cadence], ...] = (
    ("半年", "semiannual"),
    ("每季", "quarterly"),
    ("每月", "monthly"),
    ("每年", "annual"),
    ("年度", "annual"),
    ("适时", "as_needed"),
)
_CONVENER = re.compile(r"由(.+?)(?:负责|适时)?召集")


def _parse_mechanisms(
    paras: list[_Para], number: str, source_name: str, notes: list[Note]
) -> list[Mechanism]:
    para = next((p for p in paras if p.section == "二" and p.subsection and "例会" in p.text), None)
    if para is None:
        _fail(
            source_name,
            None,
            "no meeting mechanisms found: expected 二、工作机制 with a paragraph on 例会制度",
        )
    assert para is not None
    where = f"{number} 二、({para.subsection})"
    mechanisms: list[Mechanism] = []
    for sentence in para.text.split("。"):
        head, _, tail = sentence.partition("，")
        if not head.startswith("建立"):
            continue
        names = [n for n in re.split(r"制度和|制度", head.removeprefix("建立")) if n]
        clauses = [c for c in tail.split("，") if c]
        for name in names:
            mine = clauses
            if len(names) > 1:
                # "调度会议每月召开一次" belongs to 群链长责任单位调度会议: match by the
                # longest ending of the name that starts the clause.
                mine = [
                    c for c in clauses if any(c.startswith(name[i:]) for i in range(len(name) - 1))
                ]
            convener, cadence, cadence_text = "", "unspecified", ""
            for clause in mine:
                short = next(
                    (name[i:] for i in range(len(name) - 1) if clause.startswith(name[i:])), ""
                )
                clause = clause.removeprefix(short)
                if m := _CONVENER.match(clause):
                    convener = m.group(1)
                    rest = clause[len("由") + len(convener) :].removeprefix("负责")
                    clause = rest if rest != "召集" else ""
                for word, value in _CADENCES:
                    if word in clause and cadence == "unspecified":
                        cadence, cadence_text = value, clause
            key = _MECHANISM_KEYS.get(name, f"mechanism_{len(mechanisms) + 1}")
            mechanisms.append(
                Mechanism(
                    key,
                    name,
                    convener,
                    cadence,  # type: ignore[arg-type]
                    cadence_text,
                    where,
                    para.line,
                )
            )
            if not convener:
                notes.append(
                    Note(
                        "gap",
                        f"{name}：文件未规定召集人，convener 留空 (the notice names no convener)",
                        where,
                        para.line,
                    )
                )
            if cadence == "unspecified":
                notes.append(
                    Note("gap", f"{name}：文件未规定召开频次 (no cadence given)", where, para.line)
                )
    if not mechanisms:
        _fail(
            source_name,
            para.line,
            "二、工作机制 mentions 例会 but no '建立…制度' sentence could be read",
        )
    return mechanisms


def _quota_max(quota: str) -> int | None:
    numbers = re.findall(r"\d+", quota)
    return int(numbers[-1]) if numbers else None


def _check_quotas(roles: list[Role], clusters: tuple[Cluster, ...], notes: list[Note]) -> None:
    """Report (not fix) where the table exceeds the counts section 一 sets."""
    by_key = {r.key: r for r in roles}
    for key, label in (("responsible_unit", "群链长责任单位"), ("alliance_chair", "盟会长单位")):
        role = by_key.get(key)
        limit = _quota_max(role.quota) if role else None
        if limit is None:
            continue
        for chain in (c for cl in clusters for c in cl.chains):
            orgs = chain.responsible_units if key == "responsible_unit" else chain.alliance_chairs
            if len(orgs) > limit:
                notes.append(
                    Note(
                        "discrepancy",
                        f"“{chain.name}”列出{len(orgs)}个{label}，正文规定"
                        f"{role.quota}（一、工作职责）；按表格原样保留 "  # type: ignore[union-attr]
                        f"(the table lists {len(orgs)}, the body allows "
                        f"{role.quota}; kept as in the table)",  # type: ignore[union-attr]
                        chain.source,
                        chain.line,
                    )
                )


# ---------------------------------------------------------------------------------------
# Entry point


def parse_roster(
    text: str, *, source_name: str = DOCUMENT_FILE, errata: Errata | None = None
) -> Roster:
    """Parse the 61号 notice text into a Roster.

    ``errata`` defaults to the packaged reviewed errata (``load_errata()``); pass
    ``NO_ERRATA`` to see the table as parsed mechanically. Raises RosterParseError
    (file ``source_name``, row = line number) when the text cannot be read as the
    notice, and InputError naming the errata file when an errata entry does not fit.
    """
    if not text.strip():
        _fail(
            source_name,
            None,
            "the document is empty; give the text of 豫政办〔2021〕61号 "
            f"(the packaged copy is {default_document_path()})",
        )
    errata = load_errata() if errata is None else errata
    lines = _lines(text)
    notes: list[Note] = []
    meta = _parse_meta(lines, source_name, notes)
    general_chief, general_where, general_line, cluster_drafts, chain_drafts = _parse_table(
        lines, meta.number, source_name, notes
    )
    if not general_where:
        notes.append(
            Note(
                "gap",
                "表中没有“总群链长：…”行，总群链长留空 (no 总群链长 row)",
                f"{meta.number} 附件 表",
                None,
            )
        )
    gap_notes = []
    for cluster in cluster_drafts:
        if not cluster.chiefs:
            gap_notes.append(
                Note(
                    "gap",
                    f"集群{cluster.seq}（{cluster.name}）的群链长单元格空白，"
                    "文件未给出，保持为空 (the 群链长 cell is blank in the "
                    "document; left empty, not guessed)",
                    _locator(meta.number, cluster.row),
                    cluster.line,
                )
            )
    notes.extend(gap_notes)
    _apply_errata(errata, cluster_drafts, chain_drafts, meta.number, notes)
    seen: dict[str, int] = {}
    for chain in chain_drafts:
        if chain.name in seen:
            _fail(
                source_name,
                chain.line,
                f"chain {chain.name!r} appears twice (also line "
                f"{seen[chain.name]}); chain names must be unique — "
                "fix the text or rename one in the errata file",
                "重点产业链",
            )
        seen[chain.name] = chain.line
    clusters = tuple(
        Cluster(
            seq=cl.seq,
            name=cl.name,
            chiefs=tuple(cl.chiefs),
            chains=tuple(
                Chain(
                    seq=ch.seq,
                    name=ch.name,
                    future=ch.future,
                    cluster_seq=cl.seq,
                    responsible_units=tuple(ch.units),
                    alliance_chairs=tuple(ch.chairs),
                    source=_locator(meta.number, ch.row),
                    line=ch.line,
                )
                for ch in sorted(chain_drafts, key=lambda c: c.seq)
                if ch.cluster_seq == cl.seq
            ),
            source=_locator(meta.number, cl.row),
            line=cl.line,
        )
        for cl in sorted(cluster_drafts, key=lambda c: c.seq)
    )
    paras = _body_paragraphs(lines)
    roles = _parse_roles(paras, meta.number, source_name)
    mechanisms = _parse_mechanisms(paras, meta.number, source_name, notes)
    _check_quotas(roles, clusters, notes)
    return Roster(
        document=meta,
        general_chief=general_chief,
        clusters=clusters,
        roles=tuple(roles),
        mechanisms=tuple(mechanisms),
        notes=tuple(notes),
        general_chief_source=general_where,
        general_chief_line=general_line,
    )


__all__ = [
    "NO_ERRATA",
    "Correction",
    "Errata",
    "Rename",
    "default_document_path",
    "default_errata_path",
    "load_errata",
    "org_kind",
    "parse_errata",
    "parse_roster",
    "split_org_names",
    "split_person_names",
]
