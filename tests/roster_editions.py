"""A second roster edition built from the 61号 notice for the edition tests (not a real notice).

豫政办〔2025〕8号 is invented for the tests: it renames 5G及先进计算产业链 to
算力及先进计算产业链, drops 现代家居产业链 and adds 低空经济产业链 (装备制造), in force from
2025-03-01. Its errata carry the 2021 corrections (the table is the same) plus the rename.
"""

from __future__ import annotations

from pathlib import Path

from chainkg.loaders.roster_parser import default_document_path, default_errata_path

NUMBER_2025 = "豫政办〔2025〕8号"
TITLE_2025 = "关于调整省级先进制造业集群重点产业链“双长制”的通知"
OLD_5G, NEW_5G = "5G及先进计算产业链", "算力及先进计算产业链"
DROPPED = "现代家居产业链"
ADDED = "低空经济产业链"
IN_FORCE_2025 = "2025-03-01"


def edition_2025(folder: Path, *, renamed: bool = True) -> Path:
    """Write the 2025 notice and its errata (``NAME.errata.toml`` beside it); the notice path."""
    text = default_document_path().read_text(encoding="utf-8")
    replacements = [
        ("豫政办〔2021〕61号", NUMBER_2025),
        ("### 关于建立省级先进制造业集群重点产业链 “双长制”的通知", f"### {TITLE_2025}"),
        ("2021年10月21日印发", "2025年2月20日印发"),
        ("\t\t5G 及先进计算产业链\t", f"\t\t{NEW_5G}\t"),
        ("\t\t现代家居产业链\t\t省工业和信息化厅\t郑州大信家居有限公司\n", ""),
        (
            "\t\t工程机械产业链\t\t省工业和信息化厅\t中铁工程装备集团有限公司\n",
            "\t\t工程机械产业链\t\t省工业和信息化厅\t中铁工程装备集团有限公司\n"
            f"\t\t{ADDED}\t\t省发展改革委\t河南省低空经济产业联盟\n",
        ),
    ]
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new)
    notice = folder / "yuzhengban-2025-8.md"
    notice.write_text(text, encoding="utf-8")
    errata = default_errata_path().read_text(encoding="utf-8")
    errata += f"\n[edition]\nin_force = {IN_FORCE_2025}\n"
    if renamed:
        errata += (
            f'\n[[renamed]]\nchain = "{OLD_5G}"\nnew_name = "{NEW_5G}"\n'
            'reason = "测试用：新通知把5G及先进计算产业链改称算力及先进计算产业链"\n'
        )
    (folder / "yuzhengban-2025-8.errata.toml").write_text(errata, encoding="utf-8")
    return notice
