"""Views, pages and exports against real graphs built from a synthetic release.

Every test with a graph runs on both engines: the same generated files loaded into a Ladybug file
(``[ladybug]``) and into the Neo4j test server (``[neo4j]``), and one test checks that the two
give the same views, pages and exports.
"""

from __future__ import annotations

import csv
import json
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from typer.testing import CliRunner

from conftest import ENGINES, Neo4jServer, engine_args, engine_env
from infoops.cli.app import app
from infoops.engines import EngineSettings, GraphEngine, QueryResult, open_engine
from infoops.graph_model import NODES, RELS
from infoops.loaders.twitter_io import load_twitter
from infoops.synthetic import INJECTION_STRINGS, SynthConfig, generate_disclosure
from infoops.visualisations import (
    GraphView,
    NotFoundError,
    ViewEdge,
    ViewError,
    ViewNode,
    accounts,
    amplification_chains,
    apply_node_budget,
    cascade,
    chains,
    export_result,
    export_view,
    most_amplified_account,
    most_retweeted_tweet,
    render_view_html,
    resolve_account,
    retweet_cascade,
    seeds,
    view_from_result,
    write_cascade_view,
    write_chains_view,
    write_result_html,
)
from infoops.visualisations.escaping import csp_hash, script_json
from infoops.visualisations.layout import place_nodes
from infoops.visualisations.legend import MAX_COLOURS, OTHER_COLOUR, colour_nodes
from infoops.visualisations.offline import external_references, strip_external_references
from infoops.visualisations.tooltip_text import expanded

DISCLOSURE = "synthetic-views"
REPO = Path(__file__).resolve().parents[2]


SYNTH = SynthConfig(accounts=300, tweets=5000, seed=11)
# The Neo4j server keeps one shared graph; tests/e2e/test_browser.py loads the same release under
# the same key, so running both files loads it once.
NEO4J_KEY = f"synthetic:{DISCLOSURE}:{SYNTH.accounts}x{SYNTH.tweets}:seed{SYNTH.seed}"


@dataclass(frozen=True)
class Release:
    data: Path
    truth: dict[str, Any]


@dataclass(frozen=True)
class Graph:
    """The release on one engine; ``settings()`` reloads it on Neo4j if something cleared it."""

    name: str
    ensure: Callable[[], EngineSettings]
    truth: dict[str, Any]

    def settings(self) -> EngineSettings:
        return self.ensure()


@pytest.fixture(scope="module")
def release(tmp_path_factory: pytest.TempPathFactory) -> Release:
    root = tmp_path_factory.mktemp("views")
    result = generate_disclosure(root / "data", SYNTH)
    return Release(root / "data", json.loads(result.truth_path.read_text("utf-8")))


def load_release(settings: EngineSettings, data: Path) -> None:
    with open_engine(settings) as engine:
        load_twitter(engine, [data], DISCLOSURE, quarantine_path=data.parent / "q.csv")


@pytest.fixture(scope="module")
def ladybug_graph(release: Release) -> Graph:
    settings = EngineSettings(db=release.data.parent / "graph.db")
    load_release(settings, release.data)
    return Graph("ladybug", lambda: settings, release.truth)


@pytest.fixture(scope="module")
def neo4j_graph(release: Release, neo4j_server: Neo4jServer) -> Graph:
    def ensure() -> EngineSettings:
        neo4j_server.shared(NEO4J_KEY, lambda settings: load_release(settings, release.data))
        return neo4j_server.settings

    ensure()
    return Graph("neo4j", ensure, release.truth)


@pytest.fixture(scope="module", params=ENGINES)
def graph(request: pytest.FixtureRequest) -> Graph:
    built: Graph = request.getfixturevalue(f"{request.param}_graph")
    return built


@pytest.fixture
def engine(graph: Graph) -> Iterator[GraphEngine]:
    """The release, read-only (this module's ``engine`` is loaded, not empty)."""
    with open_engine(graph.settings(), read_only=True) as opened:
        yield opened


def all_amplifications(engine: GraphEngine) -> dict[tuple[str, str], int]:
    rows = engine.run(
        "MATCH (a:Account)-[r:AMPLIFIED]->(b:Account) RETURN a.userid, b.userid, r.count"
    ).rows
    return {(a, b): int(n) for a, b, n in rows}


def expected_chains(
    edges: dict[tuple[str, str], int], seed: str, depth: int, upstream: bool, min_count: int = 1
) -> tuple[set[str], set[tuple[str, str]]]:
    """Breadth-first in plain Python over every AMPLIFIED edge: the independent answer."""
    hops, found = {seed: 0}, set()
    queue = deque([seed])
    while queue:
        here = queue.popleft()
        if hops[here] == depth:
            continue
        for (a, b), count in edges.items():
            if count < min_count or (b if upstream else a) != here:
                continue
            found.add((a, b))
            other = a if upstream else b
            if other not in hops:
                hops[other] = hops[here] + 1
                queue.append(other)
    return set(hops), found


class _Tags(HTMLParser):
    """Start tags with their attributes, and the text of every script element."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self._script: dict[str, str | None] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag == "script":
            self._script = dict(attrs)
            self.scripts.append((self._script, ""))

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            attrs, text = self.scripts[-1]
            self.scripts[-1] = (attrs, text + data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._script = None


def parse(page: str) -> _Tags:
    tags = _Tags()
    tags.feed(page)
    tags.close()
    return tags


def assert_offline(page: str) -> None:
    assert external_references(page) == []
    lowered = page.lower()
    assert not re.search(r"<script[^>]*\bsrc\s*=", lowered)
    assert not re.search(r"<link[^>]*\bhref\s*=", lowered)
    for tag, attrs in parse(page).tags:
        if tag in ("script", "link", "img", "iframe"):
            joined = " ".join(str(v) for v in attrs.values())
            assert "//cdn" not in joined and "http" not in joined, (tag, attrs)


def page_data(page: str) -> dict[str, Any]:
    """The embedded view (nodes, edges, options) and its tooltip details."""
    blocks = {attrs.get("id"): text for attrs, text in parse(page).scripts if attrs.get("id")}
    data: dict[str, Any] = json.loads(blocks["infoops-data"])
    data["details"] = expanded(json.loads(blocks["infoops-details"]))
    return data


def star(n: int, weights: list[float] | None = None) -> GraphView:
    """A hub with n spokes (spoke i -> hub, weight i+1 unless given)."""
    nodes = [ViewNode("hub", "hub", "Account", categories={"role": "poster"})]
    nodes += [
        ViewNode(f"s{i}", f"s{i}", "Account", categories={"role": "amplifier"}) for i in range(n)
    ]
    edges = [
        ViewEdge(f"s{i}", "hub", "AMPLIFIED", weight=(weights[i] if weights else float(i + 1)))
        for i in range(n)
    ]
    return GraphView(title="star", nodes=nodes, edges=edges, pinned=frozenset(["hub"]))


# -- chains -------------------------------------------------------------------------------


@pytest.mark.parametrize(("depth", "upstream"), [(1, True), (2, True), (2, False)])
def test_chains_match_an_independent_breadth_first_walk(
    engine: GraphEngine, depth: int, upstream: bool
) -> None:
    edges = all_amplifications(engine)
    seed = most_amplified_account(engine, released=True)
    assert seed is not None
    if not upstream:  # the most active amplifier has a downstream worth walking
        seed = max({a for a, _ in edges}, key=lambda a: sum(1 for x, _ in edges if x == a))
    view = amplification_chains(engine, seed, depth=depth, direction="in" if upstream else "out")
    want_nodes, want_edges = expected_chains(edges, seed, depth, upstream)
    assert {n.id for n in view.nodes} == want_nodes
    assert {(e.source, e.target) for e in view.edges} == want_edges
    assert all(e.weight == edges[(e.source, e.target)] for e in view.edges)
    assert len(want_nodes) > 3
    assert view.node(seed).shape == "star"


def test_both_directions_are_the_union_and_min_count_filters(engine: GraphEngine) -> None:
    edges = all_amplifications(engine)
    seed = most_amplified_account(engine, released=True)
    assert seed is not None
    view = amplification_chains(engine, seed, depth=2, direction="both", min_count=2)
    up_nodes, up_edges = expected_chains(edges, seed, 2, True, min_count=2)
    down_nodes, down_edges = expected_chains(edges, seed, 2, False, min_count=2)
    assert {n.id for n in view.nodes} == up_nodes | down_nodes
    assert {(e.source, e.target) for e in view.edges} == up_edges | down_edges
    assert min(e.weight for e in view.edges) >= 2


def test_derived_roles_match_the_planted_truth(graph: Graph, engine: GraphEngine) -> None:
    truth = graph.truth["accounts"]
    nodes = accounts.account_nodes(engine, list(truth))
    derived = {uid: node.categories["role"] for uid, node in nodes.items()}
    assert all(derived[u] == "poster" for u, t in truth.items() if t["role"] in ("core", "organic"))
    planted = [u for u, t in truth.items() if t["role"] == "amplifier"]
    assert sum(derived[u] == "amplifier" for u in planted) >= 0.95 * len(planted)
    external = nodes_of(engine, graph.truth["external_accounts"])
    assert {node.categories["role"] for node in external} == {"external"}
    assert all(node.categories["disclosure"] == "not released (external)" for node in external)


def nodes_of(engine: GraphEngine, userids: dict[str, Any]) -> list[ViewNode]:
    return list(accounts.account_nodes(engine, list(userids)).values())


def test_external_accounts_get_their_name_from_a_retweet(graph: Graph, engine: GraphEngine) -> None:
    external = graph.truth["external_accounts"]
    nodes = accounts.account_nodes(engine, list(external))
    named = [uid for uid, node in nodes.items() if node.label == "@" + external[uid]["screen_name"]]
    assert len(named) >= len(nodes) - 1  # one may never have been retweeted with its name


def test_seed_by_screen_name_is_case_insensitive(graph: Graph, engine: GraphEngine) -> None:
    userid, info = next((u, t) for u, t in graph.truth["accounts"].items() if t["screen_name"] != u)
    assert resolve_account(engine, "@" + info["screen_name"].upper()) == userid
    assert resolve_account(engine, info["screen_name"].lower()) == userid
    assert resolve_account(engine, userid) == userid


def test_external_seed_by_name_resolves_to_the_retweeted_account(
    graph: Graph, engine: GraphEngine
) -> None:
    # The loader names outside accounts from the `RT @name:` prefix of retweets of them.
    amplified = {target for _, target in all_amplifications(engine)}
    userid, info = next(
        (u, e) for u, e in graph.truth["external_accounts"].items() if u in amplified
    )
    notes: list[str] = []
    assert resolve_account(engine, "@" + info["screen_name"].lower(), notes) == userid
    view = amplification_chains(engine, "@" + info["screen_name"], depth=1, direction="in")
    assert view.pinned == frozenset([userid]) and len(view.edges) > 0


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"account": "@no_such_account"}, NotFoundError),
        ({"account": "999"}, NotFoundError),
        ({"account": "@"}, ViewError),
        ({"depth": 0}, ViewError),
        ({"depth": 7}, ViewError),
        ({"direction": "sideways"}, ViewError),
        ({"min_count": 0}, ViewError),
    ],
)
def test_bad_chain_requests_are_clear_errors(
    engine: GraphEngine, kwargs: dict[str, Any], error: type[Exception]
) -> None:
    kwargs = dict(kwargs)  # the parameter's dict is shared by both engines' runs
    seed = kwargs.pop("account", None) or most_amplified_account(engine)
    with pytest.raises(error):
        amplification_chains(engine, str(seed), **kwargs)


def test_demo_seeds_are_the_most_amplified_account_and_most_retweeted_tweet(
    engine: GraphEngine,
) -> None:
    received: dict[str, int] = {}
    for (_, target), count in all_amplifications(engine).items():
        received[target] = received.get(target, 0) + count
    assert received[str(most_amplified_account(engine))] == max(received.values())
    counts = engine.run(
        "MATCH (r:Tweet)-[:RETWEET_OF]->(o:Tweet) RETURN o.tweetid, count(r) AS n ORDER BY n DESC"
    ).rows
    by_tweet = {tweetid: n for tweetid, n in counts}
    assert by_tweet[str(most_retweeted_tweet(engine))] == counts[0][1]
    released = most_amplified_account(engine, released=True)
    assert engine.run(
        "MATCH (a:Account {userid: $u}) RETURN a.in_disclosure", {"u": released}
    ).scalar()


# -- cascade ------------------------------------------------------------------------------


def test_cascade_has_every_retweeting_account_in_time_order(engine: GraphEngine) -> None:
    tweetid = most_retweeted_tweet(engine)
    assert tweetid is not None
    rows = engine.run(
        "MATCH (r:Tweet)-[:RETWEET_OF]->(o:Tweet {tweetid: $t}) RETURN r.userid, r.tweetid",
        {"t": tweetid},
    ).rows
    view = retweet_cascade(engine, tweetid)
    retweeted = [e for e in view.edges if e.kind == "RETWEETED"]
    assert {e.source for e in retweeted} == {u for u, _ in rows}
    assert sum(e.weight for e in retweeted) == len(rows)
    assert f"{len(rows)} retweets by {len(retweeted)} accounts" in view.summary[1]
    # x grows with the delay: sort accounts by first retweet time, x never decreases
    delays = sorted((e.properties["delay_s"], view.node(e.source).x or 0.0) for e in retweeted)
    xs = [x for _, x in delays]
    assert xs == sorted(xs)
    assert view.fixed_layout and all(n.x is not None for n in view.nodes)


def test_a_retweet_id_gives_the_cascade_of_its_original(engine: GraphEngine) -> None:
    original = most_retweeted_tweet(engine)
    retweet = engine.run(
        "MATCH (r:Tweet)-[:RETWEET_OF]->(o:Tweet {tweetid: $t}) RETURN r.tweetid LIMIT 1",
        {"t": original},
    ).scalar()
    view = retweet_cascade(engine, retweet)
    assert view.pinned == frozenset([f"tweet:{original}"])
    assert any("is a retweet" in notice for notice in view.notices)


def test_cascade_budget_keeps_the_earliest_and_says_so(engine: GraphEngine) -> None:
    tweetid = most_retweeted_tweet(engine)
    assert tweetid is not None
    full = retweet_cascade(engine, tweetid)
    cut = retweet_cascade(engine, tweetid, node_budget=5)
    assert len(cut.nodes) == 5
    earliest = sorted(
        (e.properties["delay_s"], e.source) for e in full.edges if e.kind == "RETWEETED"
    )[:3]
    assert {e.source for e in cut.edges if e.kind == "RETWEETED"} == {s for _, s in earliest}
    accounts_total = sum(1 for e in full.edges if e.kind == "RETWEETED")
    assert any(f"{accounts_total} accounts retweeted" in n and "first 3" in n for n in cut.notices)


def test_snowflake_times_are_used_only_when_they_agree() -> None:
    tweetid = str((1_600_000_000_000 - cascade.TWITTER_EPOCH_MS) << 22)
    assert cascade.tweet_seconds(tweetid, 1_600_000_020) == 1_600_000_000.0
    assert cascade.tweet_seconds(tweetid, 1_700_000_000) == 1_700_000_000.0
    assert cascade.tweet_seconds("abc", 5) == 5.0
    assert cascade.tweet_seconds("abc", None) is None


# -- the two engines ----------------------------------------------------------------------


def view_builders(truth: dict[str, Any]) -> dict[str, Callable[[GraphEngine], GraphView]]:
    """Views of the release by name; seeds are chosen by each engine itself, so they must agree."""

    def seed(engine: GraphEngine) -> str:
        return str(most_amplified_account(engine, released=True))

    def tweet(engine: GraphEngine) -> str:
        return str(most_retweeted_tweet(engine))

    hostile_user, hostile_tweet = truth["injection_userids"][0], truth["injection_tweetids"][0]
    return {
        "chains": lambda e: amplification_chains(e, seed(e), depth=2),
        "chains-budget": lambda e: amplification_chains(e, seed(e), depth=3, node_budget=25),
        "chains-hostile": lambda e: amplification_chains(e, hostile_user, depth=2),
        "cascade": lambda e: retweet_cascade(e, tweet(e)),
        "cascade-budget": lambda e: retweet_cascade(e, tweet(e), node_budget=6),
        "cascade-hostile": lambda e: retweet_cascade(e, hostile_tweet),
        "result": lambda e: view_from_result(
            e.run(
                "MATCH (a:Account)-[r:AMPLIFIED]->(b:Account) WHERE r.count >= 3 "
                "RETURN a, r, b ORDER BY r.count DESC, a.userid, b.userid"
            ),
            title="amplified",
        ),
        "result-paths-unordered": lambda e: view_from_result(
            e.run(
                "MATCH p = (:Account)-[q:AMPLIFIED]->(:Account)-[r:AMPLIFIED]->(:Account) "
                "WHERE q.count >= 5 AND r.count >= 5 RETURN p"
            ),
            title="paths",
        ),
    }


def without_generated(page: str) -> str:
    return re.sub(r"\d{4}-\d\d-\d\d \d\d:\d\d UTC", "<generated>", page)


def test_both_engines_give_the_same_views_pages_and_exports(
    ladybug_graph: Graph, neo4j_graph: Graph, tmp_path: Path
) -> None:
    """The same release read from Ladybug and from Neo4j: identical views, pages and files."""
    with (
        open_engine(ladybug_graph.settings(), read_only=True) as ladybug,
        open_engine(neo4j_graph.settings(), read_only=True) as neo4j,
    ):
        for name, build in view_builders(ladybug_graph.truth).items():
            first, second = build(ladybug), build(neo4j)
            assert asdict(first) == asdict(second), name
            assert len(first.nodes) >= 2, name
            pages = [
                without_generated(render_view_html(view, color_by="role", command=name))
                for view in (first, second)
            ]
            assert pages[0] == pages[1], name
            for fmt in ("gexf", "graphml", "csv"):
                written = [
                    export_view(view, fmt, tmp_path / engine / f"{name}-{fmt}")
                    for engine, view in (("ladybug", first), ("neo4j", second))
                ]
                for one, other in zip(*written, strict=True):
                    assert one.read_bytes() == other.read_bytes(), (name, fmt, one.name)
        rows = "MATCH (t:Tweet) WHERE t.tweetid IN $ids RETURN t.tweetid AS id, t.text AS text, "
        rows += "t.time_s AS seconds, t.latitude AS lat, t.is_retweet AS rt ORDER BY id"
        ids = {"ids": ladybug_graph.truth["injection_tweetids"]}
        results = [engine.run(rows, ids) for engine in (ladybug, neo4j)]
        assert results[0] == results[1]
        tables = [
            without_generated(
                write_result_html(result, tmp_path / f"table-{i}.html", title="t").read_text()
            )
            for i, result in enumerate(results)
        ]
        assert tables[0] == tables[1]


# -- escaping and offline pages -----------------------------------------------------------


def test_script_json_cannot_end_a_script_and_stays_json() -> None:
    value = {"text": "</script><script>alert(1)</script> & <!-- \u2028", "n": [1, 2]}
    encoded = script_json(value)
    assert "<" not in encoded and ">" not in encoded and "&" not in encoded
    assert "\u2028" not in encoded
    assert json.loads(encoded) == value


def test_injection_strings_never_reach_the_page_as_markup(
    graph: Graph, engine: GraphEngine, tmp_path: Path
) -> None:
    user = graph.truth["injection_userids"][0]
    pages = [
        write_chains_view(engine, user, tmp_path / "chains.html", depth=1, direction="out"),
        write_cascade_view(engine, graph.truth["injection_tweetids"][0], tmp_path / "c.html"),
    ]
    for path in pages:
        page = path.read_text("utf-8")
        for injected in INJECTION_STRINGS:
            assert injected not in page
        data = json.dumps(page_data(page), ensure_ascii=False)
        assert any(injected in data for injected in INJECTION_STRINGS)  # kept, as data
        assert_offline(page)
    assert len(parse(pages[0].read_text("utf-8")).scripts) == 4  # data, vis.js, page, details


def test_tooltip_details_hold_each_text_once_and_read_back_whole() -> None:
    shared = "<img src=x onerror=alert(1)> 香港 example tweet"
    nodes = [
        ViewNode(
            f"n{i}",
            f"@n{i}",
            "Account",
            facts=[("userid", f"n{i}"), ("released in", "release-A")],
            examples=[shared, f"own tweet {i}"],
        )
        for i in range(4)
    ]
    edges = [ViewEdge("n1", "n0", "AMPLIFIED", facts=[("retweets", "3")])]
    page = render_view_html(GraphView(title="t", nodes=nodes, edges=edges), color_by="role")
    blocks = {attrs.get("id"): text for attrs, text in parse(page).scripts if attrs.get("id")}
    raw = json.loads(blocks["infoops-details"])
    assert raw["text"].count(shared) == 1 and raw["text"].count("released in") == 1
    details = expanded(raw)
    for i in range(4):
        assert details["nodes"][f"n{i}"] == [
            f"@n{i} (Account)",
            [["userid", f"n{i}"], ["released in", "release-A"]],
            [shared, f"own tweet {i}"],
        ]
    assert details["edges"]["e0"] == ["@n1 → @n0 (AMPLIFIED)", [["retweets", "3"]], []]


@pytest.mark.parametrize(("value", "alike_size"), [(5000.0, (9.0 + 36.0) / 2), (0.0, 9.0)])
def test_nodes_of_one_size_draw_at_the_middle_size_unless_they_measure_nothing(
    value: float, alike_size: float
) -> None:
    nodes = [
        ViewNode(f"c{i}", f"cluster {i}", "Cluster", metrics={"amplification": value})
        for i in range(4)
    ]
    view = GraphView(title="four clusters of one size", nodes=nodes, edges=[])
    page = render_view_html(view, color_by="role", size_by="amplification")
    sizes = {node["id"]: node["size"] for node in page_data(page)["nodes"]}
    assert sizes == dict.fromkeys(sizes, round(alike_size, 1)) and len(sizes) == 4


def test_titles_and_legend_text_are_escaped() -> None:
    view = star(3)
    view.title = "<img src=x onerror=alert(1)> chains"
    view.notices.append("<script>alert(2)</script>")
    view.summary.extend(["summary", "<b>bold</b>"])
    for node in view.nodes:
        node.categories["role"] = "<i>role</i>"
    page = render_view_html(view, color_by="role", command="infoops chains --account '<x>'")
    assert "<img src=x" not in page and "<script>alert(2)" not in page and "<b>bold" not in page
    assert "&lt;img src=x onerror=alert(1)&gt; chains" in page
    assert "&lt;i&gt;role&lt;/i&gt;" in page and "&lt;b&gt;bold&lt;/b&gt;" in page
    assert "infoops chains --account &#39;&lt;x&gt;&#39;" in page


def test_page_scripts_are_exactly_the_ones_the_policy_allows() -> None:
    page = render_view_html(star(4), color_by="role")
    scripts = parse(page).scripts
    runnable = [text for attrs, text in scripts if attrs.get("type") != "application/json"]
    policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page)
    assert policy is not None
    policy_text = policy.group(1).replace("&#39;", "'")
    assert (
        "default-src 'none'" in policy_text
        and "unsafe-inline" not in policy_text.split("style-src")[0]
    )
    assert sorted(re.findall(r"'sha256-[^']+'", policy_text)) == sorted(
        csp_hash(text) for text in runnable
    )
    assert any("vis.Network" in text for text in runnable)


def test_pyvis_own_page_links_a_cdn_and_stripping_removes_it() -> None:
    from pyvis.network import Network

    network = Network(cdn_resources="in_line")
    network.add_node("a")
    pyvis_page = network.generate_html()
    assert any("cdn.jsdelivr.net" in ref.url for ref in external_references(pyvis_page))
    stripped, removed = strip_external_references(pyvis_page)
    assert removed and external_references(stripped) == []
    assert "vis.Network" in stripped  # the inlined vis.js and the drawing code survive


def test_pages_are_utf8_whatever_the_locale(graph: Graph, tmp_path: Path) -> None:
    script = (
        "import sys\n"
        "from infoops.engines import EngineSettings, open_engine\n"
        "from infoops.visualisations import write_cascade_view, most_retweeted_tweet\n"
        "with open_engine(EngineSettings.from_env(), read_only=True) as e:\n"
        "    write_cascade_view(e, most_retweeted_tweet(e), sys.argv[1])\n"
    )
    out = tmp_path / "cascade.html"
    env = {"PATH": "/usr/bin:/bin", "LC_ALL": "C", "LANG": "C", "PYTHONUTF8": "0"}
    env["PYTHONCOERCECLOCALE"] = "0"
    env.update(settings_env(graph.settings()))
    subprocess.run(
        [str(REPO / ".venv/bin/python"), "-c", script, str(out)],
        check=True,
        env=env,
        timeout=60,
    )
    raw = out.read_bytes()
    page = raw.decode("utf-8")  # raises if it is not UTF-8
    assert '<meta charset="utf-8">' in page
    assert any(ord(ch) > 0x3000 for ch in page)  # the Chinese texts survived as text


# -- budget, layout, legend ---------------------------------------------------------------


def test_budget_keeps_the_strongest_edges_and_counts_what_it_dropped() -> None:
    view, report = apply_node_budget(star(100), 11, weight_name="retweets")
    assert report.truncated
    assert (report.nodes_before, report.edges_before) == (101, 100)
    assert (report.nodes_after, report.edges_after) == (11, 10)
    assert {e.source for e in view.edges} == {f"s{i}" for i in range(90, 100)}
    assert "hub" in view.node_ids
    notice = view.notices[-1]
    assert "101 nodes and 100 edges" in notice and "Showing 11 nodes and 10 edges" in notice
    assert "90 nodes and 90 edges are not drawn" in notice and "retweets ≥ 91" in notice
    page = render_view_html(view, color_by="role")
    assert "Showing 11 nodes and 10 edges" in page


def test_budget_within_limits_changes_nothing() -> None:
    view = star(10)
    kept, report = apply_node_budget(view, 11)
    assert kept is view and not report.truncated and not view.notices
    with pytest.raises(ValueError):
        apply_node_budget(view, 0)


def test_edge_budget_applies_too() -> None:
    view, report = apply_node_budget(star(50), 100, edge_budget=5)
    assert report.edges_after == 5 and "edge budget of 5" in view.notices[-1]


def test_big_views_get_a_fixed_igraph_layout_and_small_ones_physics() -> None:
    small, big = star(20), star(400)
    assert place_nodes(small) is True
    assert place_nodes(big) is False
    assert all(n.x is not None and n.y is not None for n in big.nodes)
    again = star(400)
    place_nodes(again)
    assert [(n.x, n.y) for n in again.nodes] == [(n.x, n.y) for n in big.nodes]
    options = page_data(render_view_html(big, color_by="role"))["options"]
    assert options["physics"]["enabled"] is False and options["edges"]["smooth"] is False


def test_pages_state_their_label_rule_and_keep_every_label_as_data() -> None:
    """The page draws few labels (assets/network.js); its legend says which, with the same
    figure the script uses, and the data still carry every label (for find and exports)."""
    page = render_view_html(star(400), color_by="role")
    rule = page_data(page)["labels"]
    assert f"at most one per {rule['areaPerLabel'] // 1000:,}k px² of canvas" in page
    assert "Labels: drawn for the largest nodes on screen" in page
    labels = {node["id"]: node.get("label") for node in page_data(page)["nodes"]}
    assert labels == {node.id: node.label for node in star(400).nodes}


def test_legend_counts_and_merges_past_the_palette() -> None:
    nodes = [
        ViewNode(f"n{i}", f"n{i}", "Account", categories={"cluster": f"c{i % 25}"})
        for i in range(100)
    ]
    legend = colour_nodes(nodes, "cluster")
    assert sum(entry.count for entry in legend.entries) == 100
    assert len(legend.entries) == MAX_COLOURS + 1
    assert legend.entries[-1].colour == OTHER_COLOUR and "9 smaller" in legend.entries[-1].category
    role = colour_nodes(star(3).nodes, "role")
    assert {e.category: e.colour for e in role.entries}["amplifier"] == "#f28e2b"


def test_page_shows_title_command_legend_and_role_note(engine: GraphEngine, tmp_path: Path) -> None:
    seed = most_amplified_account(engine)
    assert seed is not None
    path = write_chains_view(
        engine, seed, tmp_path / "v.html", depth=1, command="infoops chains --account X"
    )
    page = path.read_text("utf-8")
    assert "<h1>Amplification chains around " in page
    assert '<code class="command">infoops chains --account X</code>' in page
    assert "Colour: role" in page and "amplifier = more than half" in page
    assert "Size: amplification" in page
    with pytest.raises(ViewError):
        render_view_html(star(2), color_by="flavour")


# -- result pages -------------------------------------------------------------------------


def test_result_with_graph_values_becomes_a_network(engine: GraphEngine, tmp_path: Path) -> None:
    result = engine.run(
        "MATCH (a:Account)-[r:AMPLIFIED]->(b:Account) RETURN a, r, b, r.count AS n LIMIT 25"
    )
    nodes, rels = result.graph_elements()
    view = view_from_result(result, title="t")
    assert len(view.nodes) == len(nodes) and len(view.edges) == len(rels) == 25
    assert any("Columns n hold no nodes" in notice for notice in view.notices)
    path = write_result_html(result, tmp_path / "r.html", title="Top <amplifiers>")
    page = path.read_text("utf-8")
    assert "Top &lt;amplifiers&gt;" in page and len(page_data(page)["nodes"]) == len(nodes)
    assert_offline(page)


def test_relationships_without_their_nodes_get_placeholders(engine: GraphEngine) -> None:
    result = engine.run("MATCH ()-[r:AMPLIFIED]->() RETURN r LIMIT 3")
    view = view_from_result(result, title="t")
    assert len(view.edges) == 3 and all(n.kind == "not returned" for n in view.nodes)
    assert any("placeholders" in notice for notice in view.notices)


def test_scalar_result_becomes_an_escaped_table(
    graph: Graph, engine: GraphEngine, tmp_path: Path
) -> None:
    result = engine.run(
        "MATCH (t:Tweet) WHERE t.tweetid IN $ids RETURN t.tweetid AS id, t.text AS text",
        {"ids": graph.truth["injection_tweetids"]},
    )
    assert len(result) == 4
    page = write_result_html(result, tmp_path / "t.html", title="texts").read_text("utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert not any(injected in page for injected in INJECTION_STRINGS)
    assert page.count("<tr>") == 5 and not parse(page).scripts
    assert "script-src 'none'" in page.replace("&#39;", "'")
    assert_offline(page)


# -- exports ------------------------------------------------------------------------------


def test_gexf_and_graphml_parse_with_the_right_counts(engine: GraphEngine, tmp_path: Path) -> None:
    seed = most_amplified_account(engine, released=True)
    assert seed is not None
    view = amplification_chains(engine, seed, depth=2, direction="in")
    view.nodes[0].properties["description"] = "bad \x00\x07 control <chars> & more"
    (gexf,) = export_view(view, "gexf", tmp_path / "v.gexf")
    root = ET.parse(gexf).getroot()
    ns = {"g": "http://www.gexf.net/1.2draft", "viz": "http://www.gexf.net/1.2draft/viz"}
    assert len(root.findall("g:graph/g:nodes/g:node", ns)) == len(view.nodes)
    edges = root.findall("g:graph/g:edges/g:edge", ns)
    assert len(edges) == len(view.edges)
    assert sorted(float(e.get("weight", "0")) for e in edges) == sorted(
        e.weight for e in view.edges
    )
    titles = {a.get("title") for a in root.findall("g:graph/g:attributes/g:attribute", ns)}
    assert {"kind", "role", "degree", "amplification", "screen_name"} <= titles
    assert root.find("g:graph/g:nodes/g:node/viz:color", ns) is not None
    index = next(
        a.get("id")
        for a in root.findall("g:graph/g:attributes/g:attribute", ns)
        if a.get("title") == "description"
    )
    first = root.find(f"g:graph/g:nodes/g:node[@id='{view.nodes[0].id}']", ns)
    assert first is not None
    values = {v.get("for"): v.get("value") for v in first.findall("g:attvalues/g:attvalue", ns)}
    assert values[index] == "bad  control <chars> & more"  # illegal XML characters dropped

    (graphml,) = export_view(view, "graphml", tmp_path / "v.graphml")
    gml = ET.parse(graphml).getroot()
    gns = {"g": "http://graphml.graphdrawing.org/xmlns"}
    assert len(gml.findall("g:graph/g:node", gns)) == len(view.nodes)
    assert len(gml.findall("g:graph/g:edge", gns)) == len(view.edges)
    key_names = [k.get("attr.name") for k in gml.findall("g:key", gns) if k.get("for") == "node"]
    assert len(key_names) == len(set(key_names))


def test_csv_export_is_gephi_shaped_and_spreadsheet_safe(tmp_path: Path) -> None:
    view = star(3)
    view.nodes[1].label = '=HYPERLINK("http://evil")'
    view.nodes[2].properties["text"] = "@SUM(1+1)"
    nodes_csv, edges_csv = export_view(view, "csv", tmp_path / "out")
    with nodes_csv.open(encoding="utf-8", newline="") as handle:
        nodes = list(csv.DictReader(handle))
    with edges_csv.open(encoding="utf-8", newline="") as handle:
        edges = list(csv.DictReader(handle))
    assert len(nodes) == 4 and len(edges) == 3
    assert nodes[1]["Label"].startswith("'=") and nodes[2]["text"] == "'@SUM(1+1)"
    assert set(edges[0]) >= {"Source", "Target", "Type", "Weight"}
    assert edges[0]["Type"] == "Directed"
    with pytest.raises(ViewError):
        export_view(view, "csv", tmp_path / "nodes.csv")


def test_export_result_writes_rows_or_refuses_a_graph_format(tmp_path: Path) -> None:
    result = QueryResult(["a", "b"], [[1, "x"], [2, None]])
    (rows,) = export_result(result, "csv", tmp_path / "rows")
    assert rows.read_text("utf-8").splitlines() == ["a,b", "1,x", "2,"]
    with pytest.raises(ViewError, match="no graph"):
        export_result(result, "gexf", tmp_path / "x.gexf")
    with pytest.raises(ViewError):
        export_result(result, "pdf", tmp_path / "x.pdf")


# -- CLI ----------------------------------------------------------------------------------

runner = CliRunner()


def settings_env(settings: EngineSettings) -> dict[str, str]:
    """A child process's environment naming the engine (``EngineSettings.from_env`` reads it)."""
    if settings.neo4j_uri:
        return {
            "NEO4J_URI": settings.neo4j_uri,
            "NEO4J_USERNAME": settings.neo4j_user or "neo4j",
            "NEO4J_PASSWORD": settings.neo4j_password or "",
        }
    return {"INFOOPS_DB": str(settings.db)}


def seeds_of(settings: EngineSettings) -> tuple[str, str]:
    with open_engine(settings, read_only=True) as engine:
        seed, tweet = most_amplified_account(engine), most_retweeted_tweet(engine)
    assert seed is not None and tweet is not None
    return seed, tweet


def test_cli_chains_and_cascade_write_pages(graph: Graph, tmp_path: Path) -> None:
    settings = graph.settings()
    seed, tweet = seeds_of(settings)
    where = engine_args(settings)
    out = tmp_path / "chains.html"
    result = runner.invoke(
        app,
        ["chains", "--account", seed, "--depth", "2", "--direction", "in",
         "--color-by", "cluster", "--size-by", "degree", "--node-budget", "20",
         *where, "--out", str(out)],
        env=engine_env(settings),
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert f"wrote {out}: 20 nodes" in result.output
    page = out.read_text("utf-8")
    assert "Truncated: the full view has" in page and "Colour: cluster" in page
    assert f"infoops chains --account {seed} --depth 2 --direction in" in page
    assert " ".join(where) in page  # the command names the engine it read
    out = tmp_path / "cascade.html"
    result = runner.invoke(
        app,
        ["cascade", "--tweet", tweet, *where, "--out", str(out), "-q"],
        env=engine_env(settings),
    )
    assert result.exit_code == 0, result.output
    assert result.output.strip() == str(out) and "Retweet cascade of tweet" in out.read_text(
        "utf-8"
    )


@pytest.mark.parametrize("graph", ["neo4j"], indirect=True)
def test_cli_pages_never_show_a_neo4j_password(graph: Graph, tmp_path: Path) -> None:
    """Credentials written into the URI log in, and neither page nor output shows them."""
    settings = graph.settings()
    seed, tweet = seeds_of(settings)
    password = settings.neo4j_password or ""
    assert len(password) >= 8  # the test server's generated password
    scheme, _, address = str(settings.neo4j_uri).partition("://")
    login = f"{quote(settings.neo4j_user or 'neo4j', safe='')}:{quote(password, safe='')}"
    uri = f"{scheme}://{login}@{address}"
    env = {"NEO4J_URI": None, "NEO4J_USERNAME": None, "NEO4J_PASSWORD": None}
    for args in (["chains", "--account", seed, "--depth", "1"], ["cascade", "--tweet", tweet]):
        out = tmp_path / f"{args[0]}.html"
        result = runner.invoke(app, [*args, "--neo4j-uri", uri, "--out", str(out)], env=env)
        assert result.exit_code == 0, result.output
        page = out.read_text("utf-8")
        assert f"--neo4j-uri {settings.neo4j_uri}" in page  # the address, without the login
        for secret in {password, quote(password, safe=""), login}:
            assert secret not in page and secret not in result.output
    # Through NEO4J_URI in the environment as well, as the option's envvar.
    out = tmp_path / "chains-env.html"
    result = runner.invoke(
        app,
        ["chains", "--account", seed, "--depth", "1", "--out", str(out)],
        env={**env, "NEO4J_URI": uri},
    )
    assert result.exit_code == 0, result.output
    page = out.read_text("utf-8")
    assert password not in page and quote(password, safe="") not in page
    assert f"--neo4j-uri {settings.neo4j_uri}" in page


def test_cli_unknown_seed_is_a_clear_error(graph: Graph, tmp_path: Path) -> None:
    settings = graph.settings()
    result = runner.invoke(
        app,
        ["chains", "--account", "@nobody_here", *engine_args(settings),
         "--out", str(tmp_path / "x.html")],
        env=engine_env(settings),
    )  # fmt: skip
    assert result.exit_code == 1 and isinstance(result.exception, NotFoundError)
    assert "no account with screen name @nobody_here" in str(result.exception)
    assert not (tmp_path / "x.html").exists()


def test_cli_exports(graph: Graph, tmp_path: Path) -> None:
    settings = graph.settings()
    where = engine_args(settings)
    cli = CliRunner(env=engine_env(settings))
    seed, tweet = seeds_of(settings)
    result = cli.invoke(
        app,
        ["export", "gexf", "--account", seed, "--depth", "1",
         "--out", str(tmp_path / "c.gexf"), *where],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    ET.parse(tmp_path / "c.gexf")
    result = cli.invoke(
        app, ["export", "graphml", "--tweet", tweet, "--out", str(tmp_path / "t.graphml"), *where]
    )
    assert result.exit_code == 0, result.output
    cypher = "MATCH (a:Account)-[r:AMPLIFIED]->(b:Account) WHERE r.count >= $n RETURN a, r, b"
    result = cli.invoke(
        app,
        ["export", "csv", "--cypher", cypher, "-p", "n:int=3", "--out", str(tmp_path / "d"),
         *where],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    with open_engine(settings, read_only=True) as engine:
        expected = engine.count("MATCH ()-[r:AMPLIFIED]->() WHERE r.count >= 3 RETURN count(r)")
    assert len((tmp_path / "d" / "edges.csv").read_text("utf-8").splitlines()) == expected + 1
    result = cli.invoke(
        app,
        ["export", "gexf", "--account", "x", "--tweet", "y", "--out", str(tmp_path / "z"), *where],
    )
    assert isinstance(result.exception, ViewError) and "exactly one" in str(result.exception)


@pytest.mark.parametrize(
    "command",
    [["chains"], ["cascade"], ["export", "gexf"], ["export", "graphml"], ["export", "csv"]],
)
def test_every_view_command_help_ends_with_a_runnable_example(command: list[str]) -> None:
    result = runner.invoke(app, [*command, "--help"], terminal_width=200)
    assert result.exit_code == 0
    text = " ".join(result.output.split())
    assert re.search(r"Example: infoops " + re.escape(" ".join(command)) + r" --", text)


# -- Cypher portability -------------------------------------------------------------------


def test_view_cypher_passes_neo4j_own_linter(tmp_path: Path) -> None:
    linter = REPO / "tools" / "cypher-lint"
    if not shutil.which("node") or not (linter / "node_modules").is_dir():
        pytest.skip("Neo4j's Cypher linter is not installed (node + tools/cypher-lint)")
    schema = {
        "labels": [n.label for n in NODES],
        "relationshipTypes": [r.type for r in RELS],
        "propertyKeys": sorted(
            {p for n in NODES for p in n.property_names}
            | {p for r in RELS for p in r.property_names}
        ),
    }
    samples = {
        "ids": ["1"],
        "min_count": 1,
        "userid": "1",
        "name": "x",
        "tweetid": "1",
        "released": True,
        "prefix": "rt @x:",
    }
    statements = [
        {
            "name": name,
            "cypher": text,
            "parameters": {p: samples[p] for p in re.findall(r"\$(\w+)", text)},
        }
        for module in (accounts, seeds, chains, cascade)
        for name, text in module.statements()
    ]
    (tmp_path / "schema.json").write_text(json.dumps(schema), "utf-8")
    run = subprocess.run(
        ["node", "lint.mjs", "--schema", str(tmp_path / "schema.json")],
        input=json.dumps(statements),
        capture_output=True,
        text=True,
        cwd=linter,
        timeout=60,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert f"linted {len(statements)} statements: 0 errors, 0 warnings" in run.stdout
