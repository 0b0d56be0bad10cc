"""How long network pages take to write, and to load and draw in headless Chromium.

Synthetic view models of 1k, 5k and 10k nodes shaped like amplification networks (a few hubs
retweeted by many amplifiers, two edges per node, tooltips with facts and example tweets), plus
one real chains view built from a loaded synthetic release. "write" is layout + HTML + file;
"load" runs from navigation to the page's first draw fitted to its canvas (the page marks it),
with all network access blocked. Target: a 10k-node page loads in under 3 s.

Each page is also measured against a bare vis-network page of the same nodes and edges (ids,
labels, sizes, the infoops page's positions, physics off), with the same vis-network bundle
inlined and nothing else (no panel, no tooltips, no label rule, no fit of its own), loaded in
the same browser in the same run, alternately with the infoops page; "x bare" is the ratio of
the two medians. Target: at most 1.2x, so that the page's own machinery costs little beside
drawing the network. The bare page is done at vis-network's own first ``afterDrawing``.

    .venv/bin/python benchmarks/bench_views.py [--sizes 1000 5000 10000] [--runs 5]
"""

from __future__ import annotations

import argparse
import html
import json
import random
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).parents[1] / "tests" / "e2e"))  # Chromium, as tested

from offline_browser import CHROMIUM, CHROMIUM_ARGS

from common import machine, synthetic_release
from infoops.engines import EngineSettings, open_engine
from infoops.loaders.twitter_io import load_twitter
from infoops.visualisations import (
    GraphView,
    ViewEdge,
    ViewNode,
    amplification_chains,
    most_amplified_account,
    write_view_html,
)
from infoops.visualisations.escaping import script_json
from infoops.visualisations.pyvis_page import vis_bundle

TARGET_NODES, TARGET_SECONDS = 10_000, 3.0
TARGET_RATIO = 1.2  # infoops page load / bare vis-network page load
BARE_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<style>{css}</style><style>html, body {{ margin: 0; height: 100%; }}
#network {{ position: absolute; inset: 0; }}</style></head>
<body><div id="network"></div>
<script type="application/json" id="data">{data}</script>
<script>{js}</script>
<script>
var data = JSON.parse(document.getElementById("data").textContent);
var network = new vis.Network(document.getElementById("network"),
  {{nodes: new vis.DataSet(data.nodes), edges: new vis.DataSet(data.edges)}},
  {{physics: {{enabled: false}}, layout: {{improvedLayout: false}},
    edges: {{smooth: false}}}});
network.once("afterDrawing", function () {{
  window.infoopsRenderedMs = performance.now();
  document.body.setAttribute("data-rendered", "true");
}});
</script></body></html>
"""


def synthetic_view(count: int, seed: int = 7) -> GraphView:
    """Hubs (5%) amplified by everyone else, preferentially the popular ones; 2 edges a node."""
    rng = random.Random(seed)
    hubs = max(2, count // 20)
    nodes = []
    for i in range(count):
        role = "poster" if i < hubs else "amplifier"
        nodes.append(
            ViewNode(
                id=str(10**12 + i),
                label=f"@account_{i}",
                kind="Account",
                facts=[
                    ("userid", str(10**12 + i)),
                    ("role", f"{role} (derived)"),
                    ("cluster", str(i % 12)),
                    ("released in", "synthetic-bench"),
                    ("followers / following", f"{rng.randrange(500)} / {rng.randrange(900)}"),
                    ("created", "2019-10-23"),
                    ("tweets", f"{rng.randrange(20, 900)} (97% retweets)"),
                    ("profile", "热爱生活 Love peace, love life, sharing the truth"),
                ],
                examples=[
                    "2019-11-02 09:14  香港是中国的香港，暴徒必须受到法律制裁 #HongKong",
                    "2020-01-21 02:03  Hong Kong police showed great restraint, respect them",
                ],
                categories={"role": role, "cluster": f"cluster {i % 12}", "disclosure": "bench"},
                metrics={"amplification": 0.0},
            )
        )
    weights = [1.0 / (h + 1) for h in range(hubs)]
    edges: dict[tuple[int, int], int] = {}
    for i in range(hubs, count):
        for hub in rng.choices(range(hubs), weights=weights, k=2):
            edges[(i, hub)] = edges.get((i, hub), 0) + rng.randint(1, 6)
    for (_, hub), n in edges.items():
        nodes[hub].metrics["amplification"] += n
    return GraphView(
        title=f"Synthetic amplification network, {count:,} nodes",
        nodes=nodes,
        edges=[
            ViewEdge(
                nodes[a].id, nodes[b].id, "AMPLIFIED", weight=float(n), facts=[("retweets", str(n))]
            )
            for (a, b), n in edges.items()
        ],
    )


def real_chains_view(workdir: Path) -> tuple[GraphView, float]:
    """Chains around the most amplified account of a loaded 3,000-account synthetic release."""
    data = synthetic_release(tweets=120_000, accounts=3_000)
    with open_engine(EngineSettings(db=workdir / "graph.db")) as engine:
        load_twitter(engine, [data], "synthetic-bench", quarantine_path=workdir / "q.csv")
    with open_engine(EngineSettings(db=workdir / "graph.db"), read_only=True) as engine:
        seed = most_amplified_account(engine)
        assert seed is not None
        started = time.perf_counter()
        view = amplification_chains(engine, seed, depth=3, direction="both", node_budget=5_000)
        return view, time.perf_counter() - started


def write_seconds(view: GraphView, path: Path) -> float:
    started = time.perf_counter()
    write_view_html(view, path, color_by="role", size_by="amplification", command="bench_views.py")
    return time.perf_counter() - started


def write_bare_page(infoops_page: Path, path: Path) -> None:
    """The bare vis-network page of the nodes and edges (and positions) of ``infoops_page``."""
    text = infoops_page.read_text("utf-8")
    found = re.search(
        r'<script type="application/json" id="infoops-data">(.*?)</script>', text, re.S
    )
    assert found, f"no data in {infoops_page}"
    payload = json.loads(found.group(1))
    nodes = [
        {key: node[key] for key in ("id", "label", "x", "y", "size", "shape") if key in node}
        for node in payload["nodes"]
        if not node.get("annotation")
    ]
    edges = [{"from": edge["from"], "to": edge["to"]} for edge in payload["edges"]]
    vis_js, vis_css = vis_bundle()
    title = html.escape(f"bare vis-network: {len(nodes)} nodes")
    data = script_json({"nodes": nodes, "edges": edges})
    page = BARE_PAGE.format(title=title, css=vis_css, data=data, js=vis_js)
    path.write_text(page, encoding="utf-8")


def load_once(browser: Any, path: Path) -> tuple[float, float]:
    """(wall seconds from goto to the page's rendered mark, in-page seconds at that mark)."""
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    page.route(
        "**/*",
        lambda route: (
            route.continue_() if route.request.url.startswith("file://") else route.abort()
        ),
    )
    errors: list[str] = []
    page.on("console", lambda m, seen=errors: seen.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda exc, seen=errors: seen.append(str(exc)))
    started = time.perf_counter()
    page.goto(path.as_uri(), wait_until="commit")
    page.wait_for_selector("body[data-rendered='true']", state="attached", timeout=120_000)
    wall = time.perf_counter() - started
    in_page = float(page.evaluate("window.infoopsRenderedMs")) / 1000
    context.close()
    if errors:
        raise SystemExit(f"{path.name}: console errors: {errors[:3]}")
    return wall, in_page


def load_seconds(browser: Any, path: Path, bare: Path, runs: int) -> dict[str, float]:
    """Median load of the page and of its bare twin, loaded alternately (so that a busy
    moment of the machine weighs on both)."""
    loads: dict[str, list[tuple[float, float]]] = {"page": [], "bare": []}
    for _ in range(runs):
        loads["page"].append(load_once(browser, path))
        loads["bare"].append(load_once(browser, bare))
    return {
        "wall": statistics.median(wall for wall, _ in loads["page"]),
        "in_page": statistics.median(mark for _, mark in loads["page"]),
        "bare_wall": statistics.median(wall for wall, _ in loads["bare"]),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 5_000, 10_000])
    parser.add_argument("--runs", type=int, default=5, help="Browser loads per page (median).")
    parser.add_argument("--no-real", action="store_true", help="Skip the loaded-release view.")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    rows = []
    with tempfile.TemporaryDirectory(prefix="infoops-bench-views-") as tmp:
        workdir = Path(tmp)
        cases = [(f"synthetic {n:,}", synthetic_view(n), None) for n in args.sizes]
        if not args.no_real:
            view, build = real_chains_view(workdir)
            cases.append(("real chains (3k-account release)", view, build))
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            for name, view, build in cases:
                path = workdir / f"{name.split()[0]}-{len(view.nodes)}.html"
                bare = path.with_name(f"bare-{path.name}")
                nodes, edges = len(view.nodes), len(view.edges)
                written = write_seconds(view, path)
                write_bare_page(path, bare)
                loads = load_seconds(browser, path, bare, args.runs)
                rows.append((name, nodes, edges, build, written, path.stat().st_size, loads))
            browser.close()

    print(f"machine: {machine()}; Chromium {CHROMIUM} headless; median of {args.runs} loads")
    header = (
        f"{'view':<34} {'nodes':>7} {'edges':>7} {'query s':>8} {'write s':>8} {'MB':>6} "
        f"{'load s':>7} {'drawn s':>8} {'bare s':>7} {'x bare':>7}"
    )
    print(header)
    print("-" * len(header))
    for name, nodes, edges, build, written, size, loads in rows:
        query = f"{build:.2f}" if build is not None else "-"
        print(
            f"{name:<34} {nodes:>7,} {edges:>7,} {query:>8} {written:>8.2f} {size / 1e6:>6.1f} "
            f"{loads['wall']:>7.2f} {loads['in_page']:>8.2f} {loads['bare_wall']:>7.2f} "
            f"{loads['wall'] / loads['bare_wall']:>6.2f}x"
        )
    for name, nodes, *_, loads in rows:
        ratio = loads["wall"] / loads["bare_wall"]
        verdict = "PASS" if ratio <= TARGET_RATIO else "FAIL"
        print(
            f"target: loads in <= {TARGET_RATIO:g}x a bare vis-network page: {ratio:.2f}x "
            f"{verdict} ({name}, {nodes:,} nodes)"
        )
    for name, nodes, *_, loads in rows:
        if nodes >= TARGET_NODES:
            verdict = "PASS" if loads["wall"] < TARGET_SECONDS else "FAIL"
            print(
                f"target: {nodes:,}-node page loads in < {TARGET_SECONDS:g} s: "
                f"{loads['wall']:.2f} s {verdict} ({name})"
            )


if __name__ == "__main__":
    main()
