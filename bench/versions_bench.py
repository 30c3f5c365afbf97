"""A 10,000-row enterprise list loaded as a list version vs. the write path before versions.

    .venv/bin/python bench/versions_bench.py --rows 10000 --repeat 3

Both paths read and check the same CSV file with the same loader (``check_lists``); then
"before" writes the shaped batch as the loader did before versions (``tx.write`` of the
file's GraphBatch: MERGE nodes and relationships), "versioned" writes it with
``load_lists`` (version snapshot, claims, links from the resolved values, audit entry).
Each repetition starts from a fresh embedded graph holding the roster and templates,
and is timed for the first load and for a reload of the same key with 10 % of the rows
changed (a correction). Medians; the machine is shared, so compare the ratio.
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import tempfile
import time
from pathlib import Path

from chainkg.graph.embedded import EmbeddedStore
from chainkg.loaders.list_load import ListFile, check_lists, load_lists
from chainkg.loaders.roster_load import load_roster
from chainkg.loaders.template_load import load_chain_templates

CHAIN = "电力装备产业链"
SEGMENTS = ["电工钢与铜铝导体材料", "绝缘材料", "变压器与电抗器", "电线电缆", "输配电网建设"]
CITIES = ["郑州市", "洛阳市", "许昌市", "平顶山市", "新乡市", "安阳市"]


def write_list(path: Path, rows: int, changed: float = 0.0) -> Path:
    """An enterprise list of ``rows`` rows; ``changed``: the share with another revenue/city."""
    lines = ["名称,产业链,环节,地市,园区,营业收入(万元),龙头"]
    cut = int(rows * changed)
    for i in range(rows):
        city = CITIES[(i + (1 if i < cut else 0)) % len(CITIES)]
        revenue = 1000 + i + (500 if i < cut else 0)
        lines.append(
            f"基准示例企业{i:05d}有限公司,{CHAIN},{SEGMENTS[i % len(SEGMENTS)]},{city},"
            f"{city[:2]}高新区,{revenue},{'是' if i % 50 == 0 else '否'}"
        )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def before(store: EmbeddedStore, path: Path) -> None:
    """The write path before versions: the file's shaped batch, MERGEd in one transaction."""
    report = check_lists(store, [ListFile("enterprises", path)])
    assert not report.problems, report.problems[:3]
    with store.transaction() as tx:
        for shaped in report.files:
            tx.write(shaped.batch)


def versioned(store: EmbeddedStore, path: Path) -> None:
    """The write path now: a list version."""
    load_lists(store, [ListFile("enterprises", path)])


def run(rows: int, repeat: int) -> dict:
    """Median seconds per path, first load and corrected reload."""
    times: dict[str, list[float]] = {
        k: [] for k in ("before_first", "before_reload", "versioned_first", "versioned_reload")
    }
    with tempfile.TemporaryDirectory(prefix="chainkg-vbench-") as tmp:
        folder = Path(tmp)
        first = write_list(folder / "企业清单.csv", rows)
        fixed = write_list(folder / "企业清单-更正.csv", rows, changed=0.1)
        for i in range(repeat):
            for name, write in (("before", before), ("versioned", versioned)):
                with EmbeddedStore(folder / f"{name}-{i}") as store:
                    load_roster(store)
                    load_chain_templates(store)
                    started = time.perf_counter()
                    write(store, first)
                    times[f"{name}_first"].append(time.perf_counter() - started)
                    started = time.perf_counter()
                    write(store, fixed)
                    times[f"{name}_reload"].append(time.perf_counter() - started)
    medians = {k: round(statistics.median(v), 3) for k, v in times.items()}
    return {
        "rows": rows,
        "repeat": repeat,
        "median_seconds": medians,
        "ratio_first": round(medians["versioned_first"] / medians["before_first"], 2),
        "ratio_reload": round(medians["versioned_reload"] / medians["before_reload"], 2),
        "all_seconds": {k: [round(x, 3) for x in v] for k, v in times.items()},
        "machine": f"{platform.machine()} {platform.python_version()}, 2 cores shared (busy)",
    }


def main() -> None:
    """Run and print (and save) the medians."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--out", type=Path, default=Path("bench/results/versions-embedded.json"))
    args = parser.parse_args()
    result = run(args.rows, args.repeat)
    text = json.dumps(result, ensure_ascii=False, indent=2)
    print(text)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
