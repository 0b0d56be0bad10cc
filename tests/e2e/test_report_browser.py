"""The report page in headless Chromium with the network cut off, built on both engines.

Every plot must be drawn (each inline SVG present with a non-zero size), no console error, no
request outside the page's own file and no dialog, although the most amplified account is
named ``<script>alert(1)</script>`` and the top hashtag is spelt ``<img src=x onerror=...>``:
both must show as text inside the plots. Two disclosures side by side (a synthetic release and
the real August 2019 China users file); full-page screenshots go to ``artifacts/screenshots/``
(``report.png``, ``report-neo4j.png``).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from offline_browser import BROWSER_MARKS, SCREENSHOTS, Visit, launched_browser, open_offline

from conftest import ENGINES, Neo4jServer
from infoops.analysis.report import compute_report
from infoops.engines import EngineSettings, open_engine
from infoops.loaders.twitter_io import load_twitter
from infoops.synthetic import INJECTION_STRINGS, SynthConfig, generate_disclosure
from infoops.visualisations.report import write_report_html
from twitter_files import REAL_USERS

pytestmark = BROWSER_MARKS

SYNTH_ID, REAL_ID = "synthetic-report-browser", "twitter-2019-08-china"
SYNTH = SynthConfig(accounts=200, tweets=3000, seed=7)
NEO4J_KEY = f"report-browser:{SYNTH_ID}:{SYNTH.accounts}x{SYNTH.tweets}:seed{SYNTH.seed}"
HOSTILE_NAME, HOSTILE_TAG = INJECTION_STRINGS[0], INJECTION_STRINGS[1]
PLANT = [
    (
        "MATCH (x:Account)-[r:AMPLIFIED]->(b:Account) WITH b, count(x) AS n, b.userid AS u "
        "ORDER BY n DESC, u LIMIT 1 SET b.screen_name = $name",
        {"name": HOSTILE_NAME},
    ),
    (
        "MATCH (t:Tweet)-[:TAGGED]->(h:Hashtag) WITH h, count(t) AS n, h.tag AS tag "
        "ORDER BY n DESC, tag LIMIT 1 SET h.spelling = $tag",
        {"tag": HOSTILE_TAG},
    ),
]
# Each plot's drawn size, and the text of every SVG text element.
PLOT_SIZES = """() => Array.from(document.querySelectorAll('figure.plot')).map(f => {
  const svg = f.querySelector(':scope > svg');
  const box = svg ? svg.getBoundingClientRect() : {width: 0, height: 0};
  return {plot: f.dataset.plot, width: box.width, height: box.height,
          marks: svg ? svg.querySelectorAll('path, use, rect').length : 0};
})"""
SVG_TEXTS = """() => Array.from(document.querySelectorAll('svg text')).map(t => t.textContent)"""


def build(settings: EngineSettings, data: Path) -> None:
    with open_engine(settings) as engine:
        for path, disclosure in ((data, SYNTH_ID), (REAL_USERS, REAL_ID)):
            load_twitter(engine, [path], disclosure, quarantine_path=data.parent / "q.csv")
        for cypher, params in PLANT:
            engine.run(cypher, params)


@pytest.fixture(scope="module")
def release(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("report-browser")
    generate_disclosure(root / "data", SYNTH)
    return root / "data"


@dataclass
class ReportPage:
    engine: str
    path: Path

    @property
    def screenshot_name(self) -> str:
        return "report" if self.engine == "ladybug" else f"report-{self.engine}"


@pytest.fixture(scope="module", params=ENGINES)
def report_page(request: pytest.FixtureRequest, release: Path) -> ReportPage:
    if request.param == "ladybug":
        settings = EngineSettings(db=release.parent / "graph.db")
        build(settings, release)
    else:
        server: Neo4jServer = request.getfixturevalue("neo4j_server")
        server.shared(NEO4J_KEY, lambda loaded: build(loaded, release))
        settings = server.settings
    with open_engine(settings, read_only=True) as engine:
        report = compute_report(engine, [SYNTH_ID, REAL_ID], tz="Asia/Shanghai")
    path = write_report_html(
        report, release.parent / f"report-{request.param}.html", command="infoops report"
    )
    return ReportPage(request.param, path)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    yield from launched_browser()


@pytest.fixture
def visit(browser: Any, report_page: ReportPage) -> Iterator[Visit]:
    seen, context = open_offline(browser, report_page.path)
    seen.page.wait_for_load_state("load")
    yield seen
    context.close()


def test_every_plot_is_drawn_offline_without_errors(visit: Visit, report_page: ReportPage) -> None:
    plots = visit.page.evaluate(PLOT_SIZES)
    page_text = report_page.path.read_text("utf-8")
    # 13 figures of the synthetic release; the users-only file has 4 (creation by month and
    # day, followers, following) and says "no tweet" in the other cells.
    assert len(plots) == page_text.count('<figure class="plot"') == 17
    empty = [p for p in plots if p["width"] < 100 or p["height"] < 50 or p["marks"] < 5]
    assert empty == [], "plots not drawn"
    # Both columns: creation plots for each disclosure, side by side (same row, two x positions).
    lefts = visit.page.evaluate(
        "() => Array.from(document.querySelectorAll('#creation-month figure.plot'))"
        ".map(f => Math.round(f.getBoundingClientRect().left))"
    )
    assert len(lefts) == 2 and lefts[0] < lefts[1]
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    visit.page.screenshot(
        path=str(SCREENSHOTS / f"{report_page.screenshot_name}.png"), full_page=True
    )
    assert visit.dialogs == [], "a dialog fired: injected script ran"
    assert visit.external == [], "the page asked for something outside its own file"
    assert visit.errors == [], "console errors"


def test_hostile_names_are_drawn_as_text(visit: Visit) -> None:
    texts = visit.page.evaluate(SVG_TEXTS)
    assert "@" + HOSTILE_NAME in texts  # most amplified and most retweeted plots
    assert "#" + HOSTILE_TAG in texts  # top hashtags plot
    assert visit.page.locator("svg script, svg foreignObject, img, iframe").count() == 0
    # Open every table: the names are cells' text there too, and still nothing runs.
    visit.page.evaluate("() => document.querySelectorAll('details').forEach(d => d.open = true)")
    cells = visit.page.locator("td", has_text=HOSTILE_NAME)
    assert cells.count() >= 2 and cells.first.text_content() == "@" + HOSTILE_NAME
    visit.page.wait_for_timeout(200)
    assert visit.dialogs == [] and visit.errors == []
