"""The clusters views against a synthetic release whose accounts carry the planted clusters.

The clusters, roles and k-cores are written with Cypher ``SET`` from the generator's truth file
(not computed by ``infoops clusters``), so these tests check the views alone: every expectation
is recomputed here from the truth and from every AMPLIFIED edge read back in plain Python. Two
clustered accounts get an injection string as their screen name; one of them is the most
amplified account of the largest cluster, so it labels that cluster in the overview.

Each test runs on both engines (``[ladybug]``, ``[neo4j]``); on Neo4j the clustered release is
a shared graph under its own key, so the release of test_visualisations.py stays unclustered.
"""

from __future__ import annotations

import json
import math
import statistics
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from test_visualisations import all_amplifications, assert_offline, page_data

from conftest import ENGINES, Neo4jServer
from infoops.engines import EngineSettings, GraphEngine, open_engine
from infoops.errors import NoClustersError, ViewError
from infoops.loaders.twitter_io import load_twitter
from infoops.synthetic import DIFFICULTIES, INJECTION_STRINGS, SynthConfig, generate_disclosure
from infoops.visualisations import write_cluster_overview, write_clusters_view
from infoops.visualisations.budget import EDGES_PER_NODE
from infoops.visualisations.clusters import clusters_view
from infoops.visualisations.graph_data import ViewNode
from infoops.visualisations.legend import MISSING_COLOUR, PALETTE, colour_nodes
from infoops.visualisations.pyvis_page import render_view_html

DISCLOSURE = "synthetic-clusters"
SYNTH = SynthConfig(accounts=300, tweets=5000, seed=11)
NEO4J_KEY = f"clustered:{DISCLOSURE}:{SYNTH.accounts}x{SYNTH.tweets}:seed{SYNTH.seed}"
# The same size with cross-cluster noise: accounts also retweet other clusters, which is what
# pulls clusters into one another in a layout of the whole graph.
NOISY = SynthConfig(accounts=300, tweets=5000, seed=11, **DIFFICULTIES["noisy"])
NOISY_KEY = f"{NEO4J_KEY}:noisy"
ROLES = {"core": "core", "amplifier": "amplifier", "organic": "peripheral"}
KCORES = {"core": 7, "amplifier": 4, "peripheral": 1}
SET_CLUSTERS_CYPHER = (
    "UNWIND $rows AS r MATCH (a:Account {userid: r.userid}) "
    "SET a.cluster = r.cluster, a.role = r.role, a.kcore = r.kcore"
)
SET_NAME_CYPHER = "MATCH (a:Account {userid: $userid}) SET a.screen_name = $name"


@dataclass(frozen=True)
class Planted:
    """What the test graph holds, computed without the code under test."""

    cluster: dict[str, int]  # userid -> cluster, clustered accounts only
    role: dict[str, str]  # userid -> stored role, clustered accounts only
    amplified: dict[tuple[str, str], int]  # every AMPLIFIED edge: (retweeter, retweeted) -> count
    hostile: dict[str, str]  # userid -> injected screen name

    def received(self, userid: str) -> int:
        return sum(n for (_, target), n in self.amplified.items() if target == userid)

    def given(self, userid: str) -> int:
        return sum(n for (source, _), n in self.amplified.items() if source == userid)

    def most_amplified(self, members: list[str]) -> list[str]:
        """Most retweets received first; ties: most retweets made, then userid."""
        return sorted(members, key=lambda u: (-self.received(u), -self.given(u), u))

    def members(self, cluster: int) -> list[str]:
        return [userid for userid, number in self.cluster.items() if number == cluster]


@dataclass(frozen=True)
class Clustered:
    ensure: Callable[[], EngineSettings]
    planted: Planted


def plant_clusters(settings: EngineSettings, data: Path, truth: dict[str, Any]) -> Planted:
    with open_engine(settings) as engine:
        load_twitter(engine, [data], DISCLOSURE, quarantine_path=data.parent / "q.csv")
        rows = [
            {
                "userid": userid,
                "cluster": account["cluster"],
                "role": ROLES[account["role"]],
                "kcore": KCORES[ROLES[account["role"]]] if account["cluster"] is not None else None,
            }
            for userid, account in truth["accounts"].items()
        ]
        engine.run(SET_CLUSTERS_CYPHER, {"rows": rows})
        amplified = all_amplifications(engine)
        clustered = [row for row in rows if row["cluster"] is not None]
        planted = Planted(
            cluster={row["userid"]: row["cluster"] for row in clustered},
            role={row["userid"]: row["role"] for row in clustered},
            amplified=amplified,
            hostile={},
        )
        top_of_largest = planted.most_amplified(planted.members(0))[0]
        other_core = next(
            u for u in planted.most_amplified(planted.members(1)) if planted.role[u] == "core"
        )
        hostile = {top_of_largest: INJECTION_STRINGS[0], other_core: INJECTION_STRINGS[1]}
        for userid, name in hostile.items():
            engine.run(SET_NAME_CYPHER, {"userid": userid, "name": name})
    return Planted(planted.cluster, planted.role, amplified, hostile)


def released(root: Path, config: SynthConfig) -> tuple[Path, dict[str, Any]]:
    result = generate_disclosure(root / "data", config)
    return root / "data", json.loads(result.truth_path.read_text("utf-8"))


def on_ladybug(release: tuple[Path, dict[str, Any]]) -> Clustered:
    data, truth = release
    settings = EngineSettings(db=data.parent / "clustered.db")
    planted = plant_clusters(settings, data, truth)
    return Clustered(lambda: settings, planted)


def on_neo4j(release: tuple[Path, dict[str, Any]], server: Neo4jServer, key: str) -> Clustered:
    data, truth = release

    def build(settings: EngineSettings) -> Planted:
        return plant_clusters(settings, data, truth)

    def ensure() -> EngineSettings:
        server.shared(key, build)
        return server.settings

    planted = server.shared(key, build)
    assert isinstance(planted, Planted)
    return Clustered(ensure, planted)


@pytest.fixture(scope="module")
def release(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    return released(tmp_path_factory.mktemp("cluster-views"), SYNTH)


@pytest.fixture(scope="module")
def ladybug_clustered(release: tuple[Path, dict[str, Any]]) -> Clustered:
    return on_ladybug(release)


@pytest.fixture(scope="module")
def neo4j_clustered(release: tuple[Path, dict[str, Any]], neo4j_server: Neo4jServer) -> Clustered:
    return on_neo4j(release, neo4j_server, NEO4J_KEY)


@pytest.fixture(scope="module", params=ENGINES)
def clustered(request: pytest.FixtureRequest) -> Clustered:
    built: Clustered = request.getfixturevalue(f"{request.param}_clustered")
    return built


@pytest.fixture(scope="module")
def noisy_release(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    return released(tmp_path_factory.mktemp("cluster-views-noisy"), NOISY)


@pytest.fixture(scope="module")
def ladybug_noisy(noisy_release: tuple[Path, dict[str, Any]]) -> Clustered:
    return on_ladybug(noisy_release)


@pytest.fixture(scope="module")
def neo4j_noisy(noisy_release: tuple[Path, dict[str, Any]], neo4j_server: Neo4jServer) -> Clustered:
    return on_neo4j(noisy_release, neo4j_server, NOISY_KEY)


@pytest.fixture(scope="module", params=ENGINES)
def noisy(request: pytest.FixtureRequest) -> Clustered:
    built: Clustered = request.getfixturevalue(f"{request.param}_noisy")
    return built


@pytest.fixture
def graph(clustered: Clustered) -> Iterator[GraphEngine]:
    with open_engine(clustered.ensure(), read_only=True) as opened:
        yield opened


def groups_by_node(data: dict[str, Any]) -> dict[str, str]:
    return {node["id"]: node["group"] for node in data["nodes"]}


def group_colour(data: dict[str, Any], group: str) -> str:
    colour: str = data["options"]["groups"][group]["color"]["background"]
    return colour


def test_every_clustered_account_is_drawn_in_its_cluster_colour(
    clustered: Clustered, graph: GraphEngine, tmp_path: Path
) -> None:
    planted = clustered.planted
    view = write_clusters_view(graph, tmp_path / "clusters.html")
    page = (tmp_path / "clusters.html").read_text("utf-8")
    data = page_data(page)
    groups = groups_by_node(data)
    assert set(groups) == set(planted.cluster)  # unclustered accounts are left out
    colour_of_cluster: dict[int, set[str]] = defaultdict(set)
    for userid, group in groups.items():
        colour_of_cluster[planted.cluster[userid]].add(group_colour(data, group))
    assert all(len(colours) == 1 for colours in colour_of_cluster.values())
    colours = [next(iter(colours)) for colours in colour_of_cluster.values()]
    assert len(set(colours)) == len(colours) == 4 and MISSING_COLOUR not in colours
    sizes = Counter(planted.cluster.values())
    for number, size in sizes.items():  # the legend names each cluster with its size
        assert f'<span class="category">cluster {number}</span> <span class="count">{size}' in page
    unclustered = graph.count("MATCH (a:Account) WHERE a.cluster IS NULL RETURN count(a)")
    assert unclustered > 0
    assert f"{unclustered} accounts without a cluster, not drawn" in view.summary
    assert view.notices == []  # within the default budget
    assert_offline(page)


def test_core_accounts_are_stars_with_a_thick_border(
    clustered: Clustered, graph: GraphEngine, tmp_path: Path
) -> None:
    planted = clustered.planted
    write_clusters_view(graph, tmp_path / "clusters.html")
    data = page_data((tmp_path / "clusters.html").read_text("utf-8"))
    nodes = {node["id"]: node for node in data["nodes"]}
    core = {userid for userid, role in planted.role.items() if role == "core"}
    assert core and core < set(nodes)
    assert {userid for userid, node in nodes.items() if node.get("shape") == "star"} == core
    assert all(nodes[userid].get("borderWidth") == 3 for userid in core)
    smallest, largest = (
        min(n["size"] for n in nodes.values()),
        max(n["size"] for n in nodes.values()),
    )
    assert all(nodes[userid]["size"] >= (smallest + largest) / 2 for userid in core)


def test_edges_are_the_amplification_between_clustered_accounts(
    clustered: Clustered, graph: GraphEngine, tmp_path: Path
) -> None:
    planted = clustered.planted
    view = write_clusters_view(graph, tmp_path / "clusters.html")
    expected = {
        pair: count
        for pair, count in planted.amplified.items()
        if pair[0] in planted.cluster and pair[1] in planted.cluster and pair[0] != pair[1]
    }
    assert {(e.source, e.target): e.weight for e in view.edges} == expected
    data = page_data((tmp_path / "clusters.html").read_text("utf-8"))
    widths = sorted((expected[(edge["from"], edge["to"])], edge["width"]) for edge in data["edges"])
    assert [width for _, width in widths] == sorted(width for _, width in widths)
    assert widths[0][1] < widths[-1][1]  # more retweets, wider: not all the same width


def test_budget_keeps_the_most_amplified_accounts_and_says_so(
    clustered: Clustered, graph: GraphEngine, tmp_path: Path
) -> None:
    planted = clustered.planted
    view = write_clusters_view(graph, tmp_path / "small.html", max_nodes=25)
    ranked = planted.most_amplified(list(planted.cluster))
    assert [node.id for node in view.nodes] == ranked[:25]
    kept = set(ranked[:25])
    assert all(e.source in kept and e.target in kept for e in view.edges)
    between_kept = [
        count for (a, b), count in planted.amplified.items() if a in kept and b in kept and a != b
    ]
    assert len(view.edges) == min(len(between_kept), EDGES_PER_NODE * 25)
    total_edges = sum(
        1
        for (a, b) in planted.amplified
        if a in planted.cluster and b in planted.cluster and a != b
    )
    [notice] = view.notices
    assert f"{len(planted.cluster)} clustered accounts and {total_edges:,} amplification" in notice
    assert f"{len(planted.cluster) - 25} accounts and" in notice
    assert f"each at least {planted.received(ranked[24]):,}; ties:" in notice
    assert notice in (tmp_path / "small.html").read_text("utf-8")


def test_a_budget_past_the_retweeted_accounts_keeps_the_busiest_retweeters(
    clustered: Clustered, graph: GraphEngine, tmp_path: Path
) -> None:
    planted = clustered.planted
    retweeted = sum(1 for userid in planted.cluster if planted.received(userid) > 0)
    budget = retweeted + 20
    assert budget < len(planted.cluster)
    view = write_clusters_view(graph, tmp_path / "page.html", max_nodes=budget)
    ranked = planted.most_amplified(list(planted.cluster))
    assert [node.id for node in view.nodes] == ranked[:budget]
    tail = ranked[retweeted:budget]  # received nothing: chosen by the retweets they made
    assert planted.given(tail[0]) > planted.given(ranked[-1])
    [notice] = view.notices
    assert "each at least" not in notice and "ties: those that retweeted the most" in notice


def test_overview_has_one_node_per_cluster_and_the_retweets_between_them(
    clustered: Clustered, graph: GraphEngine, tmp_path: Path
) -> None:
    planted = clustered.planted
    view = write_cluster_overview(graph, tmp_path / "overview.html")
    sizes = Counter(planted.cluster.values())
    assert {node.id: node.properties["accounts"] for node in view.nodes} == {
        f"cluster:{number}": size for number, size in sizes.items()
    }
    between: Counter[tuple[str, str]] = Counter()
    for (a, b), count in planted.amplified.items():
        if a in planted.cluster and b in planted.cluster:
            between[(f"cluster:{planted.cluster[a]}", f"cluster:{planted.cluster[b]}")] += count
    expected = {pair: float(n) for pair, n in between.items() if pair[0] != pair[1]}
    assert len(expected) > 4  # both directions of several pairs
    assert {(e.source, e.target): e.weight for e in view.edges} == expected
    for node in view.nodes:
        number = node.properties["cluster"]
        top = planted.most_amplified(planted.members(number))[0]
        assert node.properties["top_userid"] == top
        assert node.label.startswith(f"cluster {number} · {sizes[number]} accounts\ntop ")
        roles = Counter(planted.role[userid] for userid in planted.members(number))
        assert node.properties["roles"] == "; ".join(f"{r}: {n}" for r, n in sorted(roles.items()))
        within = between[(node.id, node.id)]
        assert ("within the cluster", f"{within:,}") in node.facts
    page = (tmp_path / "overview.html").read_text("utf-8")
    data = page_data(page)
    assert {(e["from"], e["to"]) for e in data["edges"]} == set(expected)
    assert_offline(page)


def test_hostile_screen_names_stay_text_in_both_pages(
    clustered: Clustered, graph: GraphEngine, tmp_path: Path
) -> None:
    planted = clustered.planted
    write_clusters_view(graph, tmp_path / "clusters.html")
    overview = write_cluster_overview(graph, tmp_path / "overview.html")
    top_of_largest = next(u for u, name in planted.hostile.items() if name == INJECTION_STRINGS[0])
    assert f"top @{INJECTION_STRINGS[0]}" in overview.node("cluster:0").label
    for name in ("clusters.html", "overview.html"):
        page = (tmp_path / name).read_text("utf-8")
        for injected in INJECTION_STRINGS:
            assert injected not in page
        data = page_data(page)
        labels = [node["label"] for node in data["nodes"]]
        assert any(INJECTION_STRINGS[0] in label for label in labels)  # kept, as data
        assert_offline(page)
    clusters = page_data((tmp_path / "clusters.html").read_text("utf-8"))
    labels = {node["id"]: node["label"] for node in clusters["nodes"]}
    assert {labels[userid] for userid in planted.hostile} == {
        f"@{name}" for name in planted.hostile.values()
    }
    assert top_of_largest in labels


def test_a_disclosure_keeps_its_own_accounts_and_an_unknown_one_is_refused(
    graph: GraphEngine, tmp_path: Path
) -> None:
    everything = write_cluster_overview(graph, tmp_path / "all.html")
    released = write_cluster_overview(graph, tmp_path / "d.html", disclosure=DISCLOSURE)
    # every planted cluster member is a released account: the same clusters and edges
    assert [n.properties for n in released.nodes] == [n.properties for n in everything.nodes]
    assert [(e.source, e.target, e.weight) for e in released.edges] == [
        (e.source, e.target, e.weight) for e in everything.edges
    ]
    with pytest.raises(ViewError, match=f"no disclosure 'nope'.*loaded: {DISCLOSURE}"):
        write_clusters_view(graph, tmp_path / "x.html", disclosure="nope")


def test_overview_sizes_each_cluster_by_its_number_of_accounts(
    clustered: Clustered, graph: GraphEngine, tmp_path: Path
) -> None:
    planted = clustered.planted
    view = write_cluster_overview(graph, tmp_path / "overview.html")
    page = (tmp_path / "overview.html").read_text("utf-8")
    assert "<h2>Size: accounts</h2>" in page and "accounts in the cluster (node area" in page
    sizes = Counter(planted.cluster.values())
    drawn = {node["id"]: node["size"] for node in page_data(page)["nodes"]}
    accounts = {f"cluster:{number}": size for number, size in sizes.items()}
    assert set(drawn) == set(accounts)
    # more accounts, bigger node; as many accounts, as big (whatever the retweets received)
    for a in drawn:
        for b in drawn:
            sign = (accounts[a] > accounts[b]) - (accounts[a] < accounts[b])
            assert (drawn[a] > drawn[b]) - (drawn[a] < drawn[b]) == sign, (a, b)
    received = {node.id: node.properties["retweets_received"] for node in view.nodes}
    assert len(set(received.values())) > 1  # sizing by retweets would draw other sizes
    # the size choice belongs to the overview: the account view does not offer it
    with pytest.raises(ViewError, match=r"choose one of degree, amplification$"):
        render_view_html(clusters_view(graph), color_by="cluster", size_by="accounts")


def test_colour_order_gives_each_category_its_place_in_the_palette() -> None:
    def nodes(clusters: range | list[int]) -> list[ViewNode]:
        return [
            ViewNode(f"n{n}-{i}", "x", "Account", categories={"cluster": f"cluster {n}"})
            for n in clusters
            for i in range(3)  # equal counts: by size alone, "cluster 10" came before "cluster 2"
        ]

    order = [f"cluster {n}" for n in range(12)]
    legend = colour_nodes(nodes(range(12)), "cluster", order=order)
    assert [(e.category, e.colour) for e in legend.entries] == list(
        zip(order, PALETTE[:12], strict=True)
    )
    # cluster 1 not drawn (a budget left it out): the others keep their colours
    without_one = colour_nodes(nodes([0, *range(2, 12)]), "cluster", order=order)
    assert {e.category: e.colour for e in without_one.entries} == {
        category: PALETTE[n] for n, category in enumerate(order) if n != 1
    }


def test_cluster_n_has_the_same_colour_in_both_pages(
    clustered: Clustered, graph: GraphEngine, tmp_path: Path
) -> None:
    planted = clustered.planted
    ranked = planted.most_amplified(list(planted.cluster))
    # a budget under which the drawn clusters, by drawn accounts, are not in number order:
    # colours taken by count would then differ from the overview's (one node per cluster)
    budget = next(
        size
        for size in range(10, len(ranked))
        if [n for n, _ in Counter(planted.cluster[u] for u in ranked[:size]).most_common()]
        != sorted(set(planted.cluster.values()))
    )
    write_clusters_view(graph, tmp_path / "clusters.html", max_nodes=budget)
    write_cluster_overview(graph, tmp_path / "overview.html")
    accounts = page_data((tmp_path / "clusters.html").read_text("utf-8"))
    overview = page_data((tmp_path / "overview.html").read_text("utf-8"))
    account_colours = {
        planted.cluster[node["id"]]: group_colour(accounts, node["group"])
        for node in accounts["nodes"]
    }
    overview_colours = {
        int(node["id"].removeprefix("cluster:")): group_colour(overview, node["group"])
        for node in overview["nodes"]
    }
    assert overview_colours == {n: PALETTE[n] for n in sorted(set(planted.cluster.values()))}
    assert account_colours == {n: overview_colours[n] for n in account_colours}


def test_account_view_draws_each_cluster_apart(noisy: Clustered, tmp_path: Path) -> None:
    """Every drawn account's nearest drawn account is of its own cluster, the closest two
    accounts of different clusters are far apart (several times the usual distance to a
    neighbour of the same cluster), and accounts of one cluster are on average under a third as
    far apart as accounts of different clusters. Where accounts also retweet other clusters
    (noise), one layout of the whole graph pulls the clusters into one another and fails all
    three; so does a big graph, whose edge budget leaves many accounts without a drawn edge."""
    planted = noisy.planted
    with open_engine(noisy.ensure(), read_only=True) as graph:
        for budget in (len(planted.cluster), 100):
            out = tmp_path / f"clusters-{budget}.html"
            write_clusters_view(graph, out, max_nodes=budget)
            data = page_data(out.read_text("utf-8"))
            assert data["options"]["physics"]["enabled"] is False  # the browser keeps them
            where = {node["id"]: (node["x"], node["y"]) for node in data["nodes"]}
            assert len(where) == min(budget, len(planted.cluster))
            ids = sorted(where)
            nearest = {
                u: min((v for v in ids if v != u), key=lambda v: _far(where, u, v)) for u in ids
            }
            assert [u for u in ids if not _same(planted, u, nearest[u])] == [], budget
            same = [_far(where, u, v) for u in ids for v in ids if u < v and _same(planted, u, v)]
            other = [
                _far(where, u, v) for u in ids for v in ids if u < v and not _same(planted, u, v)
            ]
            neighbour = statistics.median(
                _far(where, u, v)
                for u, v in nearest.items()  # each one's nearest is of its cluster (above)
            )
            assert min(other) > 3 * neighbour, budget
            assert statistics.fmean(same) < statistics.fmean(other) / 3, budget


def _far(where: dict[str, tuple[float, float]], u: str, v: str) -> float:
    return math.dist(where[u], where[v])


def _same(planted: Planted, u: str, v: str) -> bool:
    return planted.cluster[u] == planted.cluster[v]


# Last: on Neo4j the empty graph below replaces the shared clustered one.
def test_without_clusters_both_views_say_to_run_infoops_clusters(
    engine: GraphEngine, tmp_path: Path
) -> None:
    engine.run("CREATE (:Account {userid: 'u1', in_disclosure: true})")
    for write in (write_clusters_view, write_cluster_overview):
        with pytest.raises(NoClustersError) as raised:
            write(engine, tmp_path / "page.html")
        message = str(raised.value)
        assert "\n" not in message and "run `infoops clusters` first" in message
        assert not (tmp_path / "page.html").exists()
