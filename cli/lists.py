"""``chainkg load list`` and ``chainkg template``: the ten lists (十项清单) and supply relations."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import typer

from chainkg.cli.common import console, err_console, open_store
from chainkg.errors import InputError, NotFoundError, Problem
from chainkg.graph.catalog import query
from chainkg.graph.ids import org_id
from chainkg.graph.store import GraphStore
from chainkg.graph.versions import Writer
from chainkg.loaders.list_formats import FORMATS, list_format
from chainkg.loaders.list_load import ListFile, ListLoadError, LoadReport, load_lists

KINDS_HELP = "List kind: " + ", ".join(f"{f.kind} ({f.title})" for f in FORMATS) + "."
TEMPLATE_HELP = KINDS_HELP + " Also: problems (问题台账)."


def _as_of(text: str | None) -> dt.date:
    if text is None:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise typer.BadParameter(f"{text!r} is not a date like 2024-12-31") from None


def _also(items: list[str]) -> list[ListFile]:
    out = []
    for item in items:
        kind, sep, path = item.partition("=")
        if not sep or not path:
            raise typer.BadParameter(f"{item!r}: write KIND=FILE, e.g. enterprises=企业清单.xlsx")
        out.append(ListFile(kind, Path(path)))
    return out


def _print_problems(title: str, problems: list[Problem], style: str) -> None:
    if not problems:
        return
    err_console.print(f"{title} ({len(problems)}):", style=style, highlight=False)
    for p in problems:
        err_console.print(f"  {p}", markup=False, highlight=False, soft_wrap=True)


def print_report(report: LoadReport, location: str) -> None:
    """The summary of a list load: per file rows, what was written, every problem and warning."""
    for f in report.files:
        loaded = f.rows_loaded if report.written else 0
        console.print(
            f"{f.kind} {f.file} ({f.encoding or 'xlsx'}): {f.rows_read} rows read, {loaded} "
            f"loaded, {f.rows_read - loaded} skipped",
            markup=False,
            highlight=False,
            soft_wrap=True,
        )
        for note in f.detected:
            console.print(f"  detected: {note}", markup=False, highlight=False, soft_wrap=True)
    if report.written:
        nodes = ", ".join(f"{k} {v}" for k, v in report.nodes.items()) or "none"
        rels = ", ".join(f"{k} {v}" for k, v in report.relationships.items()) or "none"
        console.print(
            f"written to {location}: nodes: {nodes}; relationships: {rels}",
            markup=False,
            highlight=False,
            soft_wrap=True,
        )
        for v in report.versions.versions if report.versions else []:
            state = (
                "unchanged" if v["unchanged"] else ("in force" if v["in_force"] else "kept (older)")
            )
            console.print(
                f"version {v['id']} ({state}): {v['added']} added, {v['removed']} removed, "
                f"{v['changed']} changed",
                markup=False,
                highlight=False,
                soft_wrap=True,
            )
        for c in report.versions.switch.conflicts if report.versions else []:
            console.print(
                f"conflict: {c['entity']} {', '.join(c['fields'])} (chainkg conflicts)",
                style="yellow",
                markup=False,
                highlight=False,
                soft_wrap=True,
            )
    else:
        console.print(
            "nothing was written (one transaction: fix the problems, or pass "
            "--skip-invalid to load the good rows)",
            markup=False,
            highlight=False,
        )
    _print_problems("skipped" if report.written else "problems", report.problems, "bold red")
    _print_problems("warnings", report.warnings, "yellow")


def unit_writer(store: GraphStore, unit: str) -> Writer:
    """The writer for a responsible unit: its chains (RESPONSIBLE_FOR in the roster), strict."""
    rows = store.read(query("api_unit_chains"), {"org_id": org_id(unit)})
    if not rows:
        raise NotFoundError(
            f"{unit!r} is not a responsible unit (群链长责任单位) of any chain in the graph",
            hint="give the unit's name as the roster writes it (chainkg roster)",
        )
    return Writer(who="cli", org=unit, chains=frozenset(r["chain"] for r in rows), strict=True)


def load_list_cmd(
    kind: str = typer.Argument(..., help=KINDS_HELP),
    files: list[Path] = typer.Argument(..., help="One or more .xlsx or .csv files of that kind."),
    as_of: str | None = typer.Option(
        None, "--as-of", help="Date the list describes, YYYY-MM-DD (default: today)."
    ),
    skip_invalid: bool = typer.Option(
        False, "--skip-invalid", help="Load the good rows and report each skipped one."
    ),
    sheet: str | None = typer.Option(
        None,
        "--sheet",
        help="Workbook sheet to read (default: the first visible sheet with this list's header).",
    ),
    header_row: int | None = typer.Option(
        None,
        "--header-row",
        min=1,
        help="Row number of the header (its first row if two); default: detected below titles.",
    ),
    also: list[str] = typer.Option(
        [],
        "--with",
        help="Also load KIND=FILE in the same transaction (repeatable), e.g. "
        "supplies that name enterprises of a new enterprise list.",
    ),
    unit: str | None = typer.Option(
        None,
        "--unit",
        help="Load as this responsible unit (群链长责任单位): only its chains, and a value "
        "disagreeing with another chain's or the roster's claim is refused.",
    ),
) -> None:
    """Load list files (清单) as versions (kind, chain, as_of): a version of the same key is
    replaced, older ones kept (docs/versions.md); all or nothing; exit 1 on problems."""
    date = _as_of(as_of)
    list_format(kind)  # an unknown kind fails before any file is read
    wanted = [ListFile(kind, p, sheet, header_row) for p in files] + _also(also)
    with open_store() as store:
        location = store.location
        writer = unit_writer(store, unit) if unit else Writer()
        try:
            report = load_lists(store, wanted, as_of=date, skip_invalid=skip_invalid, writer=writer)
        except ListLoadError as error:
            print_report(error.report, location)
            raise typer.Exit(1) from None
    print_report(report, location)
    if report.unread:
        raise typer.Exit(1)


def template_cmd(
    kind: str = typer.Argument(..., help=TEMPLATE_HELP),
    output: Path | None = typer.Option(
        None, "-o", "--output", help="File to write: .xlsx (default) or .csv."
    ),
    force: bool = typer.Option(False, "--force", help="Overwrite an existing file."),
) -> None:
    """Write an empty list file with the right headers and an example row (sheet 示例)."""
    from chainkg.loaders.ledger_table import PROBLEMS
    from chainkg.loaders.list_reader import write_template

    fmt = PROBLEMS if kind.strip() in ("problems", PROBLEMS.title) else list_format(kind)
    path = output or Path(f"{fmt.title.replace('/', '、')}.xlsx")
    if path.exists() and not force:
        raise InputError([Problem(str(path), "the file exists; pass --force to overwrite it")])
    write_template(fmt, path)
    console.print(
        f"wrote {path}: {fmt.title} ({fmt.kind}), {len(fmt.columns)} columns",
        markup=False,
        highlight=False,
    )
