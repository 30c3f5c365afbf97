"""Reading list files (XLSX, CSV in any common Chinese encoding) and writing their templates.

Reading gives a ``Table``: the header and the data rows with their row numbers
as a spreadsheet shows them. XLSX is read with python-calamine (about ten times
faster than openpyxl); openpyxl only writes templates. CSV encodings: UTF-8 with
or without BOM, UTF-16 with BOM, else whatever charset-normalizer detects, with
GB18030 (the superset of GBK and GB2312) preferred whenever it decodes the bytes,
since a Chinese file that is not UTF-8 is almost always GBK.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from chainkg.errors import InputError, Problem
from chainkg.loaders.list_formats import FORMATS, ListFormat, header_index, normalize_header

EXAMPLE_SHEET = "示例"
COMMENT = "#"
_CHINESE_FAMILY = {"gb2312", "gbk", "gb18030", "hz", "cp936", "euc_cn"}


@dataclass
class Table:
    """The cells of one sheet or CSV file: a header and numbered data rows.

    ``rows`` hold (row number, cells); row numbers count every line of the file
    (or spreadsheet row), so they match what the user sees. Blank and ``#``
    comment rows, title rows above the header, 序号 cells, section headings and
    the footer (合计, 备注, 说明 ...) are left out; ``detected`` says what was
    found and skipped, ``cell_problems`` holds merged cells that cannot be
    spread over their rows (by row number).
    """

    file: str  # what problems name: the file name, plus the sheet for a workbook
    source: str  # the file name, stored as ``source`` on every fact
    sheet: str | None
    header: list[str]
    header_row: int
    rows: list[tuple[int, list[Any]]] = field(default_factory=list)
    encoding: str | None = None
    detected: list[str] = field(default_factory=list)
    unit: str | None = None  # 单位：万元 written above the header, for money columns
    cell_problems: dict[int, list[Problem]] = field(default_factory=dict)

    def ref(self, row: int) -> str:
        """``source_ref`` of a row: ``第N行``, prefixed by the sheet name for a workbook."""
        return f"{self.sheet}!第{row}行" if self.sheet else f"第{row}行"


def detect_encoding(data: bytes) -> str:
    """The text encoding of CSV bytes; ValueError when none fits."""
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    try:
        data.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    matches = from_bytes(data)
    guesses = [m.encoding for m in matches]
    if any(g in _CHINESE_FAMILY for g in guesses) or not guesses:
        try:
            data.decode("gb18030")
            return "gb18030"
        except UnicodeDecodeError:
            pass
    if guesses:
        return guesses[0]
    raise ValueError("no known text encoding decodes it")


def _is_blank(cells: list[Any]) -> bool:
    return all(c is None or (isinstance(c, str) and not c.strip()) for c in cells)


def _is_comment(cells: list[Any]) -> bool:
    first = next((c for c in cells if c is not None and str(c).strip()), None)
    return isinstance(first, str) and first.lstrip().startswith(COMMENT)


# ---------------------------------------------------------------- layout detection

HEADER_SCAN = 30  # rows searched for the header
_SERIAL = {"序号", "序", "编号", "no", "no.", "#"}
_TOTAL = re.compile(r"^(合计|总计|小计|共计)([:：(（]|$)")
_FOOTER = re.compile(
    r"^(备注|说明|注|填表说明|填报说明|填表人|填报人|制表人?|审核人?|联系人|联系电话)[:：]"
)
_TABLE_UNIT = re.compile(r"(?:金额)?单位[:：]\s*(元|千元|万元|百万元|亿元)")


@dataclass(frozen=True)
class Merge:
    """A merged range of cells, 0-based, inclusive."""

    top: int
    left: int
    bottom: int
    right: int

    def label(self) -> str:
        """The range as Excel writes it (C5:C7)."""
        return f"{_letter(self.left)}{self.top + 1}:{_letter(self.right)}{self.bottom + 1}"


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return unicodedata.normalize("NFKC", str(value)).strip()


def _raw_text(value: Any) -> str:
    """A header cell as written (problems name columns as the user sees them)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _known_headers(fmt: ListFormat | None) -> dict[str, Any]:
    if fmt is not None:
        return header_index(fmt)
    out: dict[str, Any] = {}
    for f in FORMATS:
        out.update(header_index(f))
    return out


def _score(cells: list[str], known: dict[str, Any]) -> int:
    return len({id(known[k]) for k in (normalize_header(c) for c in cells if c) if k in known})


def _spread_right(cells: list[str], row: int, merges: list[Merge]) -> list[str]:
    """A header row with each horizontally merged cell's text over every column it spans."""
    out = list(cells)
    for m in merges:
        if m.top <= row <= m.bottom and m.right > m.left:
            text = cells[m.left] if m.left < len(cells) else ""
            for c in range(m.left, min(m.right + 1, len(out))):
                out[c] = out[c] or text
    return out


def _join(parent: list[str], child: list[str], known: dict[str, Any]) -> tuple[list[str], bool]:
    """Two header rows as one, and whether every cell of the second row was used as header."""
    joined = []
    all_used = True
    for i in range(max(len(parent), len(child))):
        top = parent[i] if i < len(parent) else ""
        low = child[i] if i < len(child) else ""
        if not low:
            joined.append(top)
        elif normalize_header(low) in known:
            joined.append(low)
        elif top and normalize_header(top + low) in known:
            joined.append(top + low)
        elif top and normalize_header(top) in known and normalize_header(low) == "":
            joined.append(top + low)  # a unit line under the header: 营业收入 / （亿元）
        else:
            joined.append(top + low if top else low)
            all_used = False
    return joined, all_used


def find_header(
    numbered: list[tuple[int, list[Any]]],
    fmt: ListFormat | None,
    merges: list[Merge],
    header_row: int | None = None,
) -> tuple[int, list[str], int] | None:
    """(index in ``numbered`` of the header's first row, header cells, rows it takes: 1 or 2).

    The header is the row (or two rows: a merged group header over its columns) among
    the first HEADER_SCAN that names the most columns of ``fmt``. None: no row names any.
    """
    known = _known_headers(fmt)
    best: tuple[int, int, list[str], int] | None = None  # score, index, cells, height
    candidates = range(len(numbered))
    if header_row is not None:
        candidates = [i for i, (n, _) in enumerate(numbered) if n == header_row]
    for i in candidates:
        number, raw = numbered[i]
        if header_row is None and (i >= HEADER_SCAN or _is_blank(raw)):
            if i >= HEADER_SCAN:
                break
            continue
        cells = _spread_right([_raw_text(c) for c in raw], number - 1, merges)
        score = _score(cells, known)
        height = 1
        if i + 1 < len(numbered) and numbered[i + 1][0] == number + 1:
            child = [_raw_text(c) for c in numbered[i + 1][1]]
            joined, all_used = _join(cells, child, known)
            score2 = _score(joined, known)
            if score2 > score or (score2 == score and all_used and any(child)):
                cells, score, height = joined, score2, 2
        if best is None or score > best[0]:
            best = (score, i, cells, height)
    if best is None or best[0] == 0:
        return None
    return best[1], best[2], best[3]


def _first_text(cells: list[Any], skip: set[int]) -> str:
    for i, c in enumerate(cells):
        if i in skip:
            text = _cell_text(c)
            if text and not text.replace(".", "").isdigit():  # 合计 or 备注 written in 序号
                return text
            continue
        text = _cell_text(c)
        if text:
            return text
    return ""


def _ranges(numbers: list[int]) -> str:
    parts: list[str] = []
    for n in numbers:
        if (parts and parts[-1].endswith(f"-{n - 1}")) or (parts and parts[-1] == str(n - 1)):
            parts[-1] = parts[-1].split("-")[0] + f"-{n}"
        else:
            parts.append(str(n))
    return ", ".join(parts)


def _table_from_rows(
    file: str,
    source: str,
    sheet: str | None,
    numbered: list[tuple[int, list[Any]]],
    fmt: ListFormat | None = None,
    merges: list[Merge] | None = None,
    header_row: int | None = None,
) -> Table:
    merges = merges or []
    kept = [(n, cells) for n, cells in numbered if not _is_blank(cells) and not _is_comment(cells)]
    if not kept:
        raise InputError(
            [Problem(file, "the file is empty: no header row and no data rows")],
            hint="run `chainkg template KIND` for a file with the right headers",
        )
    found = find_header(kept, fmt, merges, header_row)
    if found is None:
        if header_row is not None:
            raise InputError(
                [Problem(file, f"row {header_row} is not a header row of this list", header_row)],
                hint="give the row that holds the column names with --header-row N",
            )
        what = fmt.title if fmt else "list"
        names = "、".join(c.header for c in (fmt.required if fmt else ())) or "名称"
        raise InputError(
            [
                Problem(
                    file,
                    f"no header row of a {what} in the first {HEADER_SCAN} rows: no row "
                    f"names columns such as {names}",
                )
            ],
            hint="run `chainkg template KIND` for the headers; if the header is further "
            "down, give its row with --header-row N",
        )
    index, header, height = found
    header_number = kept[index][0]
    detected: list[str] = []
    unit = None
    above = [n for n, _ in kept[:index]]
    if above:
        title = next((_cell_text(c) for c in kept[0][1] if _cell_text(c)), "")
        detected.append(
            f"header on row {header_number}; rows {_ranges(above)} above it skipped "
            f"(title {title!r})"
        )
        for _, cells in kept[:index]:
            for c in cells:
                m = _TABLE_UNIT.search(_cell_text(c).replace(" ", ""))
                if m:
                    unit = m.group(1)
        if unit:
            detected.append(f"单位：{unit} above the header applies to amounts without a unit")
    if height == 2:
        detected.append(
            f"two-row header on rows {header_number}-{header_number + 1}, joined: "
            + ", ".join(h for h in header if h)
        )
    header = [h.strip() for h in header]
    serial = {i for i, h in enumerate(header) if normalize_header(h) in _SERIAL}
    if serial:
        detected.append("序号 column ignored")
        for i in serial:
            header[i] = ""
    while header and not header[-1]:
        header.pop()
    width = len(header)
    body = kept[index + height :]
    # Fill merged data cells down where the column allows it; refuse the others.
    known = _known_headers(fmt)
    data_top = header_number + height - 1  # 0-based index of the first data row
    by_number = {n: cells for n, cells in body}
    cell_problems: dict[int, list[Problem]] = {}
    sections: list[int] = []
    filled: list[str] = []
    for m in merges:
        if m.top < data_top:
            continue
        if m.right > m.left and (m.right - m.left + 1) >= max(2, width // 2):
            sections.append(m.top + 1)  # a heading across the table: 一、上游环节
            continue
        if m.bottom == m.top:
            continue
        col = known.get(normalize_header(header[m.left])) if m.left < width else None
        rows = list(range(m.top + 2, m.bottom + 2))
        if col is not None and getattr(col, "fill_down", False) and m.right == m.left:
            value = by_number.get(m.top + 1, [None] * width)[m.left]
            for n in rows:
                if n in by_number and m.left < len(by_number[n]):
                    by_number[n][m.left] = value
            filled.append(f"{header[m.left]} {m.label()}")
        elif m.left < width and header[m.left]:
            for n in [m.top + 1, *rows]:
                cell_problems.setdefault(n, []).append(
                    Problem(
                        file,
                        f"cell {m.label()} is merged over rows {m.top + 1}-{m.bottom + 1}; "
                        f"{header[m.left]} cannot be shared by several rows: unmerge it and "
                        "write the value on each row",
                        n,
                        header[m.left],
                    )
                )
    if filled:
        detected.append("merged cells filled down: " + ", ".join(filled))
    rows: list[tuple[int, list[Any]]] = []
    totals: list[int] = []
    footer: list[int] = []
    skipped_sections: list[int] = []
    for n, cells in body:
        if footer:
            footer.append(n)
            continue
        first = _first_text(cells, serial).replace(" ", "")
        if _TOTAL.match(first):
            totals.append(n)
            continue
        if _FOOTER.match(first) or first in ("备注", "说明", "注"):
            footer.append(n)
            continue
        if n in sections or _is_blank([c for i, c in enumerate(cells) if i not in serial]):
            if n in sections:
                skipped_sections.append(n)
            continue
        row = list(cells[:width]) + [None] * (width - len(cells))
        for i in serial:
            if i < width:
                row[i] = None
        rows.append((n, row))
    if skipped_sections:
        detected.append(f"section headings skipped: rows {_ranges(skipped_sections)}")
    if totals:
        detected.append(f"合计/小计 rows skipped: {_ranges(totals)}")
    if footer:
        detected.append(f"footer (备注/说明) skipped: rows {_ranges(footer)}")
    cell_problems = {n: p for n, p in cell_problems.items() if any(r == n for r, _ in rows)}
    return Table(
        file,
        source,
        sheet,
        header,
        header_number,
        rows,
        detected=detected,
        unit=unit,
        cell_problems=cell_problems,
    )


def read_csv(path: Path, fmt: ListFormat | None = None, header_row: int | None = None) -> Table:
    """A CSV file's table, its encoding detected."""
    name = path.name
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError([Problem(name, f"cannot read the file: {exc.strerror}")]) from None
    try:
        encoding = detect_encoding(data)
    except ValueError:
        raise InputError(
            [Problem(name, "cannot tell the file's text encoding")],
            hint="save it as CSV UTF-8 (Excel: 另存为 → CSV UTF-8)",
        ) from None
    text = data.decode(encoding)
    if text.startswith("\ufeff"):
        text = text[1:]
    first = text.split("\n", 1)[0]
    delimiter = "\t" if "\t" in first and "," not in first else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    numbered: list[tuple[int, list[Any]]] = []
    start = 1
    try:
        for cells in reader:
            numbered.append((start, [c if c.strip() else None for c in cells]))
            start = reader.line_num + 1
    except csv.Error as exc:
        raise InputError([Problem(name, f"not a valid CSV file: {exc}", row=start)]) from None
    table = _table_from_rows(name, name, None, numbered, fmt, None, header_row)
    table.encoding = encoding.removesuffix("-sig")
    return table


def read_xlsx(
    path: Path,
    sheet: str | None = None,
    fmt: ListFormat | None = None,
    header_row: int | None = None,
) -> Table:
    """A workbook sheet's table: ``sheet``, else the first visible sheet with a known header."""
    from python_calamine import CalamineError, CalamineWorkbook, SheetTypeEnum, SheetVisibleEnum

    name = path.name
    try:
        book = CalamineWorkbook.from_path(str(path))
    except (CalamineError, OSError, ValueError) as exc:
        raise InputError(
            [Problem(name, f"cannot open the workbook: {exc}")],
            hint="save it from Excel or WPS as .xlsx",
        ) from None
    names = list(book.sheet_names)
    meta = {m.name: m for m in book.sheets_metadata}

    def table_of(sheet_name: str) -> Table:
        ws = book.get_sheet_by_name(sheet_name)
        cells = ws.to_python(skip_empty_area=False)
        numbered = [(i + 1, [None if c == "" else c for c in row]) for i, row in enumerate(cells)]
        merges = [Merge(a[0], a[1], b[0], b[1]) for a, b in (ws.merged_cell_ranges or [])]
        return _table_from_rows(
            f"{name} (sheet {sheet_name})", name, sheet_name, numbered, fmt, merges, header_row
        )

    if sheet is not None:
        if sheet not in names:
            known = ", ".join(names)
            raise InputError(
                [Problem(name, f"the workbook has no sheet {sheet!r}; it has: {known}")]
            )
        table = table_of(sheet)
        if meta[sheet].visible != SheetVisibleEnum.Visible:
            table.detected.insert(0, f"sheet {sheet} is hidden; read because --sheet named it")
        return table
    skipped: list[str] = []
    first_error: InputError | None = None
    for s in names:
        m = meta.get(s)
        if s == EXAMPLE_SHEET:
            continue
        if m is not None and m.visible != SheetVisibleEnum.Visible:
            skipped.append(f"{s} (hidden)")
            continue
        if m is not None and m.typ != SheetTypeEnum.WorkSheet:
            continue
        try:
            table = table_of(s)
        except InputError as exc:
            first_error = first_error or exc
            skipped.append(f"{s} (no header)")
            continue
        table.detected.insert(
            0, f"sheet {s}" + (f"; skipped sheets: {', '.join(skipped)}" if skipped else "")
        )
        return table
    if first_error is not None and len(skipped) == 1:
        raise first_error
    listed = ", ".join(skipped) or "none"
    raise InputError(
        [Problem(name, f"no visible sheet has a list header; sheets: {listed}")],
        hint="name the sheet with --sheet NAME (and the header row with --header-row N)",
    )


def read_table(
    path: Path,
    sheet: str | None = None,
    fmt: ListFormat | None = None,
    header_row: int | None = None,
) -> Table:
    """The table in ``path``: .xlsx/.xlsm via calamine, anything else as CSV.

    ``fmt`` (the list kind) finds the header; ``sheet``/``header_row`` override detection.
    """
    if not path.exists():
        raise InputError([Problem(path.name, f"no such file: {path}")])
    if path.suffix.lower() in (".xlsx", ".xlsm", ".xls", ".ods"):
        return read_xlsx(path, sheet, fmt, header_row)
    if sheet is not None:
        raise InputError([Problem(path.name, "--sheet applies to workbooks (.xlsx) only")])
    return read_csv(path, fmt, header_row)


def write_template(fmt: ListFormat, path: Path) -> None:
    """An empty list file with ``fmt``'s headers and an example row.

    XLSX: the example is on a second sheet named 示例. CSV (UTF-8 with BOM, which
    Excel opens correctly): the example is a ``#`` comment line, skipped on reading.
    """
    headers = [c.template_header for c in fmt.columns]
    example = [c.example for c in fmt.columns]
    if path.suffix.lower() == ".csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(headers)
        writer.writerow([f"{COMMENT} 示例: {example[0]}", *example[1:]])
        path.write_text(buffer.getvalue(), encoding="utf-8-sig")
        return
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    data = book.active
    data.title = fmt.title.replace("/", "、")
    data.append(headers)
    examples = book.create_sheet(EXAMPLE_SHEET)
    examples.append(headers)
    examples.append(example)
    for ws in (data, examples):
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for i, header in enumerate(headers):
            width = max(len(header), len(example[i])) * 2 + 2
            ws.column_dimensions[_letter(i)].width = width
        ws.freeze_panes = "A2"
    book.save(path)


def _letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)
