"""The 蓝皮书's HTML page in real headless Chromium, network off, opened from file://.

Like the maps: no console error, no request but the file itself (and its inline data:
pictures), no dialog, the hostile organisation name shown as literal text with no script
run; the same headings as the Word document. A screenshot is kept in the pytest temp folder
(CHAINKG_SCREENSHOTS=dir to keep it elsewhere).
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from browser import Browser, chromium_path
from eval_fixtures import BING, HOSTILE, JIA, YI, build_eval_graph

from chainkg.graph.embedded import EmbeddedStore
from chainkg.viz.report import make_report, write_report

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        chromium_path() is None, reason="needs Chromium: apt-get install -y chromium"
    ),
]


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("report-page")
    with EmbeddedStore(folder / "graph") as store:
        build_eval_graph(store)
        report = make_report(store, 2024, today=dt.date(2025, 3, 1))
    [path] = write_report(report, html=folder / "蓝皮书.html")
    return path


def test_the_report_page_opens_offline_with_nothing_fetched_and_no_script(
    page: Path, tmp_path: Path
) -> None:
    with Browser() as browser:
        browser.open(page, ready="document.readyState === 'complete'")
        browser.drain(0.3)
        assert browser.load.console_errors == []
        assert browser.load.dialogs == []
        fetched = [r for r in browser.load.requests if not r.startswith("data:image/png;base64,")]
        assert fetched == [page.resolve().as_uri()]
        assert browser.evaluate("window.__alerts") == 0
        assert browser.evaluate("document.scripts.length") == 0
        assert browser.evaluate("document.images.length") == 8
        assert browser.evaluate("[...document.images].every(i => i.complete && i.naturalWidth > 0)")
        text = browser.evaluate("document.body.innerText")
        assert f"可对接{HOSTILE}等省外企业" in text
        assert browser.evaluate("[...document.querySelectorAll('h1')].map(h => h.textContent)") == [
            "河南省先进制造业集群重点产业链发展报告蓝皮书（2024年度）",
            "一、全省概况",
            "二、重大集群评价",
            "三、重点产业链评价",
            "附录 评价方法与数据来源",
        ]
        links = browser.evaluate("[...document.querySelectorAll('nav a')].map(a => a.textContent)")
        assert links[-4:] == [
            f"（一）{JIA}",
            f"（二）{YI}",
            f"（三）{BING}",
            "附录 评价方法与数据来源",
        ]
        cells = browser.evaluate(
            "[...document.querySelectorAll('table[data-key=chain-1-indicators] tr')]"
            ".find(r => r.cells[1].textContent === '省内企业数').innerText"
        )
        assert cells.split("\t")[3:6] == ["4", "3", "+1"]
        folder = Path(os.environ.get("CHAINKG_SCREENSHOTS") or tmp_path)
        browser.screenshot(folder / "report.png")
