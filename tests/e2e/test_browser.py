"""Generated pages in headless Chromium with the network cut off.

Each page must draw a non-empty canvas, request nothing but its own file, log no console error
and never open a dialog, although the data holds ``<script>alert(1)</script>`` and
``<img src=x onerror=alert(1)>``. Hovering and clicking the nodes that carry those strings must
show them as text. Every network page must open fitted: each node, and each label drawn, inside
the visible part of the canvas; and its labels must be few enough to read, none over another.
Screenshots go to ``artifacts/screenshots/``.

The account views are built from the same synthetic release on both engines (``[ladybug]`` and
``[neo4j]``, whose screenshots end in ``-neo4j``); the fixed-layout page needs no graph. The
clusters pages are built from the same release with clusters written from its truth file.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from offline_browser import BROWSER_MARKS, SCREENSHOTS, Visit, launched_browser, open_offline

from conftest import ENGINES, Neo4jServer
from infoops.engines import EngineSettings, open_engine
from infoops.loaders.twitter_io import load_twitter
from infoops.synthetic import INJECTION_STRINGS, SynthConfig, generate_disclosure
from infoops.visualisations import (
    GraphView,
    ViewEdge,
    ViewNode,
    most_amplified_account,
    most_retweeted_tweet,
    write_cascade_view,
    write_chains_view,
    write_cluster_overview,
    write_clusters_view,
    write_result_html,
    write_view_html,
)
from infoops.visualisations.graph_data import Annotation

pytestmark = BROWSER_MARKS

# Counts the pixels that are not fully transparent on the vis canvas.
CANVAS_INK = """() => {
  const canvas = document.querySelector('#network canvas');
  if (!canvas || !canvas.width || !canvas.height) return 0;
  const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
  let ink = 0;
  for (let i = 3; i < data.length; i += 4) if (data[i] > 0) ink++;
  return ink;
}"""
# Where a node is drawn, in page coordinates.
NODE_POSITION = """(id) => {
  const network = window.infoops.network;
  const dom = network.canvasToDOM(network.getPositions([id])[id]);
  const box = document.getElementById('network').getBoundingClientRect();
  return {x: box.left + dom.x, y: box.top + dom.y};
}"""

# Where every node (its bounding box, as vis-network measured it) and every label the page drew
# lies, against the canvas element's box less any part the side panel covers (page pixels).
# Tolerance: half a pixel of rounding.
FIT_REPORT = """() => {
  const network = window.infoops.network;
  const canvas = document.querySelector('#network canvas').getBoundingClientRect();
  const side = document.querySelector('.side').getBoundingClientRect();
  const covers = side.left < canvas.right && side.right > canvas.left
    && side.top < canvas.bottom && side.bottom > canvas.top;
  const area = {left: canvas.left, top: canvas.top, bottom: canvas.bottom,
                right: covers ? Math.min(canvas.right, side.left) : canvas.right};
  const inside = (b) => b.left >= area.left - 0.5 && b.right <= area.right + 0.5
    && b.top >= area.top - 0.5 && b.bottom <= area.bottom + 0.5;
  const toPage = (x, y) => {
    const dom = network.canvasToDOM({x, y});
    return {x: canvas.left + dom.x, y: canvas.top + dom.y};
  };
  const positions = network.getPositions();
  const outside = [];
  for (const id of Object.keys(positions)) {
    const centre = toPage(positions[id].x, positions[id].y);
    const b = network.getBoundingBox(id);
    const a = toPage(b.left, b.top), z = toPage(b.right, b.bottom);
    const box = {left: a.x, top: a.y, right: z.x, bottom: z.y};
    const point = {left: centre.x, right: centre.x, top: centre.y, bottom: centre.y};
    if (!inside(point) || !inside(box)) outside.push(id);
  }
  const labels = (window.infoopsLabels || []).map((l) => ({id: l.id, box: {
    left: canvas.left + l.box.left, right: canvas.left + l.box.right,
    top: canvas.top + l.box.top, bottom: canvas.top + l.box.bottom}}));
  const labelsOutside = labels.filter((l) => !inside(l.box)).map((l) => l.id);
  return {nodes: Object.keys(positions).length, outside, labelsOutside,
          area: [area.left, area.top, area.right, area.bottom]};
}"""
# The labels the page drew (canvas pixels), the area they were budgeted from and each node's size.
LABEL_REPORT = """() => {
  const area = window.infoops.visibleArea();
  const sizes = {};
  window.infoops.nodes.forEach((n) => { if (!n.annotation) sizes[n.id] = n.size || 0; });
  const pixels = (area.right - area.left) * (area.bottom - area.top);
  return {labels: window.infoopsLabels || [], area: pixels, sizes};
}"""
LABEL_AREA_PX = 20_000  # pyvis_page.LABEL_AREA_PX: one label per this many canvas pixels at most


# The release of tests/unit/test_visualisations.py under the same Neo4j key: run together, the
# server loads it once.
DISCLOSURE = "synthetic-views"
SYNTH = SynthConfig(accounts=300, tweets=5000, seed=11)
NEO4J_KEY = f"synthetic:{DISCLOSURE}:{SYNTH.accounts}x{SYNTH.tweets}:seed{SYNTH.seed}"


# The clusters pages need stored clusters: the same release under a disclosure and a Neo4j key
# of their own (so the release above stays unclustered), with the planted clusters and roles of
# the truth file written by Cypher and injection strings as the screen names of two clustered
# accounts, one of them the most amplified (the top account, labelling its cluster).
CLUSTERED = "synthetic-clusters-browser"
CLUSTERED_KEY = f"clustered:{CLUSTERED}:{SYNTH.accounts}x{SYNTH.tweets}:seed{SYNTH.seed}"
ROLES = {"core": "core", "amplifier": "amplifier", "organic": "peripheral"}
SET_CLUSTERS_CYPHER = (
    "UNWIND $rows AS r MATCH (a:Account {userid: r.userid}) "
    "SET a.cluster = r.cluster, a.role = r.role, a.kcore = r.kcore"
)
MOST_AMPLIFIED_CLUSTERED_CYPHER = (
    "MATCH (b:Account)-[r:AMPLIFIED]->(a:Account) WHERE a.cluster IS NOT NULL "
    "RETURN a.userid AS userid, a.cluster AS cluster, a.role AS role, sum(r.count) AS retweets "
    "ORDER BY retweets DESC, userid"
)
SET_NAME_CYPHER = "MATCH (a:Account {userid: $userid}) SET a.screen_name = $name"
RESULT_GRAPH_CYPHER = (
    "MATCH p = (:Account)-[r:AMPLIFIED]->(:Account) RETURN p ORDER BY r.count DESC LIMIT 150"
)


@dataclass
class ClusterPages:
    engine: str
    clusters: Path
    overview: Path
    hostile_user: str  # most amplified clustered account, named INJECTION_STRINGS[0]
    hostile_cluster: str  # its cluster's node in the overview

    def screenshot_name(self, name: str) -> str:
        return name if self.engine == "ladybug" else f"{name}-{self.engine}"


@dataclass
class Pages:
    engine: str
    chains_injection: Path
    cascade_injection: Path
    cascade_busy: Path
    chains_big: Path
    result_graph: Path
    table: Path
    injection_user: str
    injection_tweet: str

    def screenshot_name(self, name: str) -> str:
        return name if self.engine == "ladybug" else f"{name}-{self.engine}"


@dataclass(frozen=True)
class Release:
    data: Path
    truth: dict[str, Any]


@pytest.fixture(scope="module")
def release(tmp_path_factory: pytest.TempPathFactory) -> Release:
    root = tmp_path_factory.mktemp("browser")
    synth = generate_disclosure(root / "data", SYNTH)
    return Release(root / "data", json.loads(synth.truth_path.read_text("utf-8")))


def load_release(settings: EngineSettings, data: Path) -> None:
    with open_engine(settings) as engine:
        load_twitter(engine, [data], DISCLOSURE, quarantine_path=data.parent / "q.csv")


@pytest.fixture(scope="module", params=ENGINES)
def pages(request: pytest.FixtureRequest, release: Release) -> Pages:
    """The account views and a result table, written from the release on one engine."""
    if request.param == "ladybug":
        settings = EngineSettings(db=release.data.parent / "graph.db")
        load_release(settings, release.data)
    else:
        server: Neo4jServer = request.getfixturevalue("neo4j_server")
        server.shared(NEO4J_KEY, lambda loaded: load_release(loaded, release.data))
        settings = server.settings
    folder = release.data.parent / request.param
    user, tweet = release.truth["injection_userids"][0], release.truth["injection_tweetids"][0]
    with open_engine(settings, read_only=True) as engine:
        seed = most_amplified_account(engine)
        assert seed is not None
        return Pages(
            engine=request.param,
            chains_injection=write_chains_view(
                engine, user, folder / "chains-injection.html", depth=2, direction="both"
            ),
            cascade_injection=write_cascade_view(engine, tweet, folder / "cascade-injection.html"),
            cascade_busy=write_cascade_view(
                engine, most_retweeted_tweet(engine), folder / "cascade-busy.html"
            ),
            chains_big=write_chains_view(engine, seed, folder / "chains.html", depth=2),
            result_graph=write_result_html(
                engine.run(RESULT_GRAPH_CYPHER), folder / "result-graph.html", title="Amplified"
            ),
            table=write_result_html(
                engine.run(
                    "MATCH (t:Tweet) WHERE t.tweetid IN $ids RETURN t.tweetid, t.text",
                    {"ids": release.truth["injection_tweetids"]},
                ),
                folder / "table.html",
                title="Tweets with markup",
            ),
            injection_user=user,
            injection_tweet=tweet,
        )


def plant_clusters(settings: EngineSettings, data: Path, truth: dict[str, Any]) -> None:
    with open_engine(settings) as engine:
        load_twitter(engine, [data], CLUSTERED, quarantine_path=data.parent / "q-clustered.csv")
        rows = [
            {
                "userid": userid,
                "cluster": account["cluster"],
                "role": ROLES[account["role"]],
                "kcore": 3 if account["cluster"] is not None else None,
            }
            for userid, account in truth["accounts"].items()
        ]
        engine.run(SET_CLUSTERS_CYPHER, {"rows": rows})
        ranked = engine.run(MOST_AMPLIFIED_CLUSTERED_CYPHER).records()
        other_core = next(row for row in ranked[1:] if row["role"] == "core")
        for row, name in ((ranked[0], INJECTION_STRINGS[0]), (other_core, INJECTION_STRINGS[1])):
            engine.run(SET_NAME_CYPHER, {"userid": row["userid"], "name": name})


@pytest.fixture(scope="module", params=ENGINES)
def cluster_pages(request: pytest.FixtureRequest, release: Release) -> ClusterPages:
    """Both clusters pages, written from the clustered release on one engine."""
    if request.param == "ladybug":
        settings = EngineSettings(db=release.data.parent / "clustered.db")
        plant_clusters(settings, release.data, release.truth)
    else:
        server: Neo4jServer = request.getfixturevalue("neo4j_server")
        server.shared(
            CLUSTERED_KEY, lambda loaded: plant_clusters(loaded, release.data, release.truth)
        )
        settings = server.settings
    folder = release.data.parent / f"clusters-{request.param}"
    with open_engine(settings, read_only=True) as engine:
        top = engine.run(MOST_AMPLIFIED_CLUSTERED_CYPHER).records()[0]
        write_clusters_view(engine, folder / "clusters.html")
        write_cluster_overview(engine, folder / "cluster-overview.html")
    return ClusterPages(
        engine=request.param,
        clusters=folder / "clusters.html",
        overview=folder / "cluster-overview.html",
        hostile_user=top["userid"],
        hostile_cluster=f"cluster:{top['cluster']}",
    )


@pytest.fixture(scope="module")
def fixed_layout(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A hostile view over the physics threshold: needs no graph, so no engine."""
    folder = tmp_path_factory.mktemp("browser-fixed")
    return write_view_html(hostile_view(600), folder / "fixed.html", color_by="role")


@pytest.fixture(scope="module")
def timeline(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fixed layout shaped like a wide retweet cascade whose first and last nodes carry long
    labels, the last one the largest: the shape that opened cropped at both ends."""
    return write_view_html(
        timeline_view(),
        tmp_path_factory.mktemp("browser-timeline") / "timeline.html",
        color_by="role",
        size_by="amplification",
    )


def timeline_view(count: int = 24) -> GraphView:
    nodes = [
        ViewNode(
            f"n{i}",
            f"@a_rather_long_screen_name_{i}",
            "Account",
            categories={"role": "amplifier" if 0 < i < count - 1 else "poster"},
            metrics={"amplification": 400.0 if i == count - 1 else float(i % 3)},
            x=-400.0 if i == 0 else 100.0 * (i // 4) + 900.0 * (i == count - 1),
            y=0.0 if i in (0, count - 1) else 30.0 * (i % 4),
            shape="star" if i == 0 else None,
        )
        for i in range(count)
    ]
    edges = [ViewEdge(f"n{i}", "n0", "RETWEETED") for i in range(1, count)]
    return GraphView(
        title="Timeline",
        nodes=nodes,
        edges=edges,
        annotations=[Annotation("time →", -400.0, -80.0), Annotation("+1 day", 1400.0, -80.0)],
        fixed_layout=True,
    )


def hostile_view(count: int) -> GraphView:
    """A view over the physics threshold whose labels and facts are all injection strings."""
    nodes = [
        ViewNode(
            f"n{i}",
            INJECTION_STRINGS[i % 2] + f" {i}",
            "Account",
            facts=[("profile", INJECTION_STRINGS[(i + 1) % 2])],
            examples=[INJECTION_STRINGS[i % 2]],
            categories={"role": ("amplifier", "poster", "<b>role</b>")[i % 3]},
        )
        for i in range(count)
    ]
    edges = [
        ViewEdge(f"n{i}", f"n{(i * 7 + 1) % count}", "AMPLIFIED", weight=1 + i % 5)
        for i in range(count)
    ]
    return GraphView(title=INJECTION_STRINGS[0] + " view", nodes=nodes, edges=edges)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    yield from launched_browser()


@pytest.fixture
def visit(browser: Any) -> Iterator[Any]:
    contexts = []

    def open_page(path: Path) -> Visit:
        seen, context = open_offline(browser, path)
        contexts.append(context)
        return seen

    yield open_page
    for context in contexts:
        context.close()


def assert_clean(seen: Visit) -> None:
    assert seen.dialogs == [], "a dialog fired: injected script ran"
    assert seen.external == [], "the page asked for something outside its own file"
    assert seen.errors == [], "console errors"


def wait_drawn(seen: Visit) -> int:
    """Wait for the page's fitted draw (and, with physics, for it to settle); the ink drawn."""
    seen.page.wait_for_selector("body[data-rendered='true']", state="attached", timeout=20_000)
    seen.page.wait_for_selector("body[data-settled='true']", state="attached", timeout=30_000)
    seen.page.wait_for_timeout(150)
    ink = int(seen.page.evaluate(CANVAS_INK))
    return ink


def screenshot(seen: Visit, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    seen.page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))


def hover(seen: Visit, node_id: str) -> Any:
    where = seen.page.evaluate(NODE_POSITION, node_id)
    seen.page.mouse.move(5, 5)
    seen.page.mouse.move(where["x"], where["y"], steps=4)
    tooltip = seen.page.locator("#tooltip")
    tooltip.wait_for(state="visible", timeout=5_000)
    return tooltip


def assert_text_not_markup(seen: Visit, selector: str, expected: str) -> None:
    element = seen.page.locator(selector)
    assert expected in element.text_content()
    assert element.locator("script, img, iframe").count() == 0


def assert_drawn_with_header(seen: Visit) -> None:
    ink = wait_drawn(seen)
    assert ink > 2_000, f"the canvas is (almost) blank: {ink} pixels drawn"
    assert seen.page.locator("h1").text_content()
    assert seen.page.locator(".legend .swatches li").count() >= 1
    assert "Produced by" in seen.page.locator(".provenance").text_content()


def assert_fitted(seen: Visit) -> None:
    """Nothing off an edge of the canvas or under the side panel once the page has loaded."""
    report = seen.page.evaluate(FIT_REPORT)
    assert report["nodes"] > 0
    assert report["outside"] == [], f"nodes outside the visible canvas {report['area']}"
    assert report["labelsOutside"] == [], f"labels outside the visible canvas {report['area']}"


def overlapping(first: dict[str, float], second: dict[str, float]) -> bool:
    return (
        first["left"] < second["right"]
        and second["left"] < first["right"]
        and first["top"] < second["bottom"]
        and second["top"] < first["bottom"]
    )


def assert_legible_labels(seen: Visit) -> dict[str, Any]:
    """A label for the largest node, no more labels than the canvas area allows, none over
    another (a mat of text draws every label, overlapping)."""
    report = seen.page.evaluate(LABEL_REPORT)
    labels, sizes = report["labels"], report["sizes"]
    assert labels, "no label drawn"
    assert len(labels) <= max(5, report["area"] // LABEL_AREA_PX)
    assert len(labels) < len(sizes), "every node labelled"
    largest = max(sizes.values())
    assert any(sizes[label["id"]] == largest for label in labels), "largest node unlabelled"
    boxes = [label["box"] for label in labels]
    for i, box in enumerate(boxes):
        crossing = [labels[j]["id"] for j in range(i) if overlapping(box, boxes[j])]
        assert crossing == [], f"the label of {labels[i]['id']} is drawn over {crossing}"
    return report


NETWORK_PAGES = ["chains_injection", "cascade_injection", "cascade_busy", "chains_big"]


@pytest.mark.parametrize("name", [*NETWORK_PAGES, "result_graph"])
def test_network_pages_draw_offline_fitted_without_errors(
    pages: Pages, visit: Any, name: str
) -> None:
    seen = visit(getattr(pages, name))
    assert_drawn_with_header(seen)
    screenshot(seen, pages.screenshot_name(name.replace("_", "-")))
    assert_fitted(seen)
    assert_clean(seen)


def test_a_wide_fixed_layout_opens_with_both_ends_in_view(timeline: Path, visit: Any) -> None:
    seen = visit(timeline)
    assert_drawn_with_header(seen)
    screenshot(seen, "timeline")
    assert_fitted(seen)
    assert_clean(seen)


def test_a_busy_view_labels_its_largest_nodes_and_the_hovered_one(pages: Pages, visit: Any) -> None:
    seen = visit(pages.chains_big)
    wait_drawn(seen)
    report = assert_legible_labels(seen)
    labelled = {label["id"] for label in report["labels"]}
    unlabelled = min(set(report["sizes"]) - labelled, key=report["sizes"].__getitem__)
    hover(seen, unlabelled)
    seen.page.wait_for_timeout(100)
    hovered = seen.page.evaluate(LABEL_REPORT)["labels"]
    assert unlabelled in {label["id"] for label in hovered}, "hovering drew no label"
    seen.page.mouse.move(5, 5)
    network = "window.infoops.network"
    seen.page.evaluate(f"{network}.moveTo({{scale: {network}.getScale() * 3}})")
    seen.page.wait_for_timeout(100)
    zoomed = seen.page.evaluate(LABEL_REPORT)["labels"]
    assert {label["id"] for label in zoomed} - labelled, "zooming in showed no other label"
    screenshot(seen, pages.screenshot_name("chains-big-zoomed"))
    assert_clean(seen)


def test_hostile_account_shows_as_text_on_hover_click_and_find(pages: Pages, visit: Any) -> None:
    seen = visit(pages.chains_injection)
    wait_drawn(seen)
    hover(seen, pages.injection_user)
    assert_text_not_markup(seen, "#tooltip", INJECTION_STRINGS[0])
    screenshot(seen, pages.screenshot_name("chains-injection-tooltip"))
    where = seen.page.evaluate(NODE_POSITION, pages.injection_user)
    seen.page.mouse.click(where["x"], where["y"])
    assert_text_not_markup(seen, "#details-body", INJECTION_STRINGS[0])
    seen.page.locator("#details-body").evaluate("e => e.replaceChildren()")
    seen.page.fill("#find-input", pages.injection_user)
    seen.page.press("#find-input", "Enter")
    assert_text_not_markup(seen, "#details-body", INJECTION_STRINGS[0])
    assert_clean(seen)


def test_hostile_tweet_text_shows_as_text_in_the_cascade(pages: Pages, visit: Any) -> None:
    seen = visit(pages.cascade_injection)
    wait_drawn(seen)
    tooltip = hover(seen, f"tweet:{pages.injection_tweet}")
    text = tooltip.text_content()
    assert any(injected in text for injected in INJECTION_STRINGS)
    assert tooltip.locator("script, img").count() == 0
    screenshot(seen, pages.screenshot_name("cascade-injection-tooltip"))
    assert_clean(seen)


def test_hostile_labels_in_a_fixed_layout_page(fixed_layout: Path, visit: Any) -> None:
    seen = visit(fixed_layout)
    assert_drawn_with_header(seen)
    screenshot(seen, "fixed-layout")
    assert_fitted(seen)
    assert_legible_labels(seen)
    assert seen.page.evaluate("window.infoops.network.physics.options.enabled") is False
    assert INJECTION_STRINGS[0] + " view" == seen.page.locator("h1").text_content()
    assert seen.page.locator(".legend").get_by_text("<b>role</b>").count() == 1
    hover(seen, "n1")
    assert_text_not_markup(seen, "#tooltip", INJECTION_STRINGS[0])
    assert_clean(seen)


def test_table_page_shows_hostile_text_as_text(pages: Pages, visit: Any) -> None:
    seen = visit(pages.table)
    seen.page.wait_for_selector("table")
    cells = seen.page.locator("td").all_text_contents()
    assert any(INJECTION_STRINGS[0] in cell for cell in cells)
    assert any(INJECTION_STRINGS[1] in cell for cell in cells)
    assert seen.page.locator("td img, td script").count() == 0
    screenshot(seen, pages.screenshot_name("table"))
    assert_clean(seen)


@pytest.mark.parametrize("name", ["clusters", "overview"])
def test_cluster_pages_draw_offline_without_errors(
    cluster_pages: ClusterPages, visit: Any, name: str
) -> None:
    seen = visit(getattr(cluster_pages, name))
    assert_drawn_with_header(seen)
    assert seen.page.locator(".legend .swatches li").count() == 4  # one entry per cluster
    screenshot(seen, cluster_pages.screenshot_name(f"clusters-{name}"))
    assert_fitted(seen)
    assert_clean(seen)


def test_hostile_screen_names_show_as_text_in_the_cluster_pages(
    cluster_pages: ClusterPages, visit: Any
) -> None:
    for path, node_id in (
        (cluster_pages.clusters, cluster_pages.hostile_user),
        (cluster_pages.overview, cluster_pages.hostile_cluster),
    ):
        seen = visit(path)
        wait_drawn(seen)
        hover(seen, node_id)
        assert_text_not_markup(seen, "#tooltip", INJECTION_STRINGS[0])
        screenshot(seen, cluster_pages.screenshot_name(f"{path.stem}-injection-tooltip"))
        where = seen.page.evaluate(NODE_POSITION, node_id)
        seen.page.mouse.click(where["x"], where["y"])
        assert_text_not_markup(seen, "#details-body", INJECTION_STRINGS[0])
        assert_clean(seen)
