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
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from chainkg.errors import InputError, Problem
from chainkg.loaders.list_formats import ListFormat

EXAMPLE_SHEET = "示例"
COMMENT = "#"
_CHINESE_FAMILY = {"gb2312", "gbk", "gb18030", "hz", "cp936", "euc_cn"}


@dataclass
class Table:
    """The cells of one sheet or CSV file: a header and numbered data rows.

    ``rows`` hold (row number, cells); row numbers count every line of the file
    (or spreadsheet row), so they match what the user sees. Blank and ``#``
    comment rows are left out.
    """

    file: str  # what problems name: the file name, plus the sheet for a workbook
    source: str  # the file name, stored as ``source`` on every fact
    sheet: str | None
    header: list[str]
    header_row: int
    rows: list[tuple[int, list[Any]]] = field(default_factory=list)
    encoding: str | None = None

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


HeaderTest = Callable[[list[str]], bool]
TITLE_ROWS = 10  # how far down a header may sit below title rows


def _table_from_rows(
    file: str,
    source: str,
    sheet: str | None,
    numbered: list[tuple[int, list[Any]]],
    is_header: HeaderTest | None = None,
) -> Table:
    kept = [(n, cells) for n, cells in numbered if not _is_blank(cells) and not _is_comment(cells)]
    if not kept:
        raise InputError(
            [Problem(file, "the file is empty: no header row and no data rows")],
            hint="run `chainkg template KIND` for a file with the right headers",
        )
    if is_header is not None:  # skip title rows (表名, 填报单位, 日期) above the header
        for i, (_, cells) in enumerate(kept[:TITLE_ROWS]):
            if is_header(["" if c is None else str(c).strip() for c in cells]):
                kept = kept[i:]
                break
    header_row, header_cells = kept[0]
    header = ["" if c is None else str(c).strip() for c in header_cells]
    while header and not header[-1]:
        header.pop()
    width = len(header)
    rows = [(n, list(cells[:width]) + [None] * (width - len(cells))) for n, cells in kept[1:]]
    return Table(file, source, sheet, header, header_row, rows)


def read_csv(path: Path, is_header: HeaderTest | None = None) -> Table:
    """A CSV file's table, its encoding detected (``is_header``: see ``read_table``)."""
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
    table = _table_from_rows(name, name, None, numbered, is_header)
    table.encoding = encoding.removesuffix("-sig")
    return table


def read_xlsx(path: Path, sheet: str | None = None, is_header: HeaderTest | None = None) -> Table:
    """A workbook sheet's table: ``sheet``, else the first sheet not named 示例."""
    from python_calamine import CalamineError, CalamineWorkbook

    name = path.name
    try:
        book = CalamineWorkbook.from_path(str(path))
    except (CalamineError, OSError, ValueError) as exc:
        raise InputError(
            [Problem(name, f"cannot open the workbook: {exc}")],
            hint="save it from Excel or WPS as .xlsx",
        ) from None
    names = list(book.sheet_names)
    if sheet is None:
        sheet = next((s for s in names if s != EXAMPLE_SHEET), names[0] if names else None)
    if sheet not in names:
        known = ", ".join(names)
        raise InputError([Problem(name, f"the workbook has no sheet {sheet!r}; it has: {known}")])
    cells = book.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
    numbered = [(i + 1, [None if c == "" else c for c in row]) for i, row in enumerate(cells)]
    return _table_from_rows(f"{name} (sheet {sheet})", name, sheet, numbered, is_header)


def read_table(path: Path, sheet: str | None = None, is_header: HeaderTest | None = None) -> Table:
    """The table in ``path``: .xlsx/.xlsm via calamine, anything else as CSV.

    ``is_header``: when given, the header is the first of the top rows it accepts (title
    rows above it are skipped); else the first non-blank row.
    """
    if not path.exists():
        raise InputError([Problem(path.name, f"no such file: {path}")])
    if path.suffix.lower() in (".xlsx", ".xlsm", ".xls", ".ods"):
        return read_xlsx(path, sheet, is_header)
    if sheet is not None:
        raise InputError([Problem(path.name, "--sheet applies to workbooks (.xlsx) only")])
    return read_csv(path, is_header)


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
