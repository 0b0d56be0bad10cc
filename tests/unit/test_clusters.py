"""``infoops clusters``: communities, k-cores and roles written onto Account nodes, on both engines.

The answers come from the synthetic generator's planted truth (``<base>_truth.json``: each
released account's cluster and role; its "organic" accounts are our "peripheral"), at the
default setting and at the two harder presets of ``infoops.synthetic.DIFFICULTIES``. A release
per preset is generated once per session and loaded once per engine (on Neo4j as a shared graph
of the test server); every test that reads clusters runs the clustering itself first, so no test
depends on what another one left. Graphs of COORDINATED_WITH ties are built by hand.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest
import typer
from typer.testing import CliRunner

from conftest import ENGINES, Neo4jServer, engine_args, engine_env
from infoops.analysis.clusters import (
    Algorithm,
    Behaviour,
    ClusterSettings,
    GraphKind,
    cluster_table,
    compute_clusters,
    normalized_mutual_information,
    role_of,
)
from infoops.cli import clusters as clusters_cli
from infoops.engines import EngineSettings, GraphEngine, open_engine
from infoops.engines.base import node_table, rel_table
from infoops.errors import ClusterError
from infoops.loaders.twitter_io import load_twitter
from infoops.queries import run_canned
from infoops.synthetic import DIFFICULTIES, SynthConfig, generate_disclosure

PRESETS = ("default", "noisy", "small-clusters")
DISCLOSURE = "synth-clusters"
# Dense enough that an amplifier's ties outweigh the preset's noise: at 5,000 tweets many
# amplifiers retweet three or four times, and one stray retweet decides their cluster.
ACCOUNTS, TWEETS, SEED = 300, 10_000, 3
MIN_NMI = 0.9
MIN_PRECISION = MIN_RECALL = 0.9


# -- releases and graphs ----------------------------------------------------------------------


@dataclass(frozen=True)
class Release:
    preset: str
    root: Path
    truth: dict[str, Any]

    @property
    def clusters(self) -> dict[str, int | None]:
        return {userid: a["cluster"] for userid, a in self.truth["accounts"].items()}

    @property
    def roles(self) -> dict[str, str]:
        # The generator's "organic" accounts are what infoops calls peripheral.
        return {
            userid: "peripheral" if a["role"] == "organic" else a["role"]
            for userid, a in self.truth["accounts"].items()
        }


_RELEASES: dict[str, Release] = {}
_LADYBUG: dict[str, EngineSettings] = {}


def release(preset: str, factory: pytest.TempPathFactory) -> Release:
    if preset not in _RELEASES:
        root = factory.mktemp(f"clusters-{preset}")
        config = SynthConfig(
            accounts=ACCOUNTS,
            tweets=TWEETS,
            seed=SEED,
            base=f"clu_{preset.replace('-', '_')}",
            **DIFFICULTIES[preset],
        )
        result = generate_disclosure(root / "files", config)
        truth = json.loads(result.truth_path.read_text(encoding="utf-8"))
        _RELEASES[preset] = Release(preset, root, truth)
    return _RELEASES[preset]


def load(rel: Release, settings: EngineSettings) -> EngineSettings:
    with open_engine(settings) as engine:
        quarantine = rel.root / f"{settings.engine_name}.quarantine"
        report = load_twitter(engine, [rel.root / "files"], DISCLOSURE, quarantine_path=quarantine)
        assert report.reconciles and report.total("rejected") == 0
    return settings


def loaded(preset: str, engine_name: str, request: pytest.FixtureRequest) -> EngineSettings:
    """The preset's release in a graph of ``engine_name``, loaded once (clusters are written
    by the tests: each test computes the ones it reads)."""
    rel = release(preset, request.getfixturevalue("tmp_path_factory"))
    if engine_name == "ladybug":
        if preset not in _LADYBUG:
            _LADYBUG[preset] = load(rel, EngineSettings(db=rel.root / "graph.db"))
        return _LADYBUG[preset]
    server: Neo4jServer = request.getfixturevalue("neo4j_server")
    settings = server.shared(f"clusters-{preset}", lambda s: load(rel, s))
    assert isinstance(settings, EngineSettings)
    return settings


@pytest.fixture(scope="session", params=ENGINES)
def cluster_engine(request: pytest.FixtureRequest) -> str:
    """Session-scoped, so that pytest runs each engine's tests together (one Neo4j load)."""
    return str(request.param)


@pytest.fixture
def default_graph(cluster_engine: str, request: pytest.FixtureRequest) -> EngineSettings:
    return loaded("default", cluster_engine, request)


def stored(engine: GraphEngine) -> dict[str, tuple[int | None, int | None, str | None]]:
    """Every account's stored (cluster, kcore, role)."""
    rows = engine.run("MATCH (a:Account) RETURN a.userid, a.cluster, a.kcore, a.role").rows
    return {row[0]: (row[1], row[2], row[3]) for row in rows}


def sizes(values: dict[str, tuple[int | None, int | None, str | None]]) -> Counter[int]:
    return Counter(cluster for cluster, _, _ in values.values() if cluster is not None)


# -- NMI and the role rule, without a graph ----------------------------------------------------


def test_nmi_of_known_partitions() -> None:
    """A wrong normalisation or a wrong sign would pass a 0.9 bar it should fail."""
    same = [0, 0, 1, 1, 2, 2]
    assert normalized_mutual_information(same, same) == pytest.approx(1.0)
    # renaming clusters changes nothing
    assert normalized_mutual_information(same, ["b", "b", None, None, "a", "a"]) == pytest.approx(
        1.0
    )
    # independent partitions share nothing
    assert normalized_mutual_information([0, 0, 1, 1], [0, 1, 0, 1]) == pytest.approx(0.0)
    # by hand: MI = (2/3) ln 2, H = ln 2 and ln 3, NMI = 2 MI / (H1 + H2) (sklearn: 0.5158...)
    assert normalized_mutual_information([0, 0, 0, 1, 1, 1], [0, 0, 1, 1, 2, 2]) == pytest.approx(
        0.5158037429793889
    )


def test_role_rule_thresholds() -> None:
    """core: retweeted by 3+ other accounts, whatever else it does; amplifier: retweets are a
    quarter or more of its tweets; peripheral otherwise (silent accounts included)."""
    assert role_of(Behaviour(tweets=10, retweets=9, amplifiers=3)) == "core"
    assert role_of(Behaviour(tweets=10, retweets=9, amplifiers=2)) == "amplifier"
    assert role_of(Behaviour(tweets=4, retweets=1, amplifiers=0)) == "amplifier"
    assert role_of(Behaviour(tweets=5, retweets=1, amplifiers=2)) == "peripheral"
    assert role_of(Behaviour(tweets=0, retweets=0, amplifiers=0)) == "peripheral"


# -- the amplification graph of a generated release ----------------------------------------------


def test_rerun_is_deterministic_and_leaves_nothing_stale(default_graph: EngineSettings) -> None:
    with open_engine(default_graph) as engine:
        compute_clusters(engine, ClusterSettings(min_size=1))
        everything = stored(engine)
        run = compute_clusters(engine, ClusterSettings())
        first = stored(engine)
        assert compute_clusters(engine, ClusterSettings()) == run
        assert stored(engine) == first  # same graph, same seed: the same clusters, numbers too
        counts = sizes(first)
        # numbered by size, 0 the largest
        assert [counts[c] for c in sorted(counts)] == sorted(counts.values(), reverse=True)
        # --min-size 1 kept singletons that the default (3) drops: those accounts lost theirs
        dropped = [u for u, v in everything.items() if v[0] is not None and first[u][0] is None]
        assert dropped, "min_size=1 should have kept some small clusters"
        assert run.clustered_accounts == sum(counts.values())
        # every released account has a role and a k-core number, external accounts neither
        released = set(
            engine.run_table("MATCH (a:Account) WHERE a.in_disclosure = true RETURN a.userid AS u")
            .column("u")
            .to_pylist()
        )
        for userid, (cluster, kcore, role) in first.items():
            if userid in released:
                assert kcore is not None and role is not None, userid
            else:
                assert (cluster, kcore, role) == (None, None, None), userid


def test_min_size_drops_smaller_clusters(default_graph: EngineSettings) -> None:
    with open_engine(default_graph) as engine:
        compute_clusters(engine, ClusterSettings())
        before = sizes(stored(engine))
        assert len(before) >= 3
        threshold = sorted(before.values())[1] + 1  # drop the two smallest clusters
        run = compute_clusters(engine, ClusterSettings(min_size=threshold))
        after = sizes(stored(engine))
    assert sorted(after.values(), reverse=True) == sorted(
        (n for n in before.values() if n >= threshold), reverse=True
    )
    assert sorted(after) == list(range(len(after)))  # renumbered from 0, no gaps
    assert run.clusters == len(after)


def test_kcore_numbers_match_peeling(default_graph: EngineSettings) -> None:
    """The stored k-core of each released account equals the one found by peeling the
    undirected graph of AMPLIFIED ties between released accounts (computed here, no igraph)."""
    with open_engine(default_graph) as engine:
        compute_clusters(engine, ClusterSettings())
        values = stored(engine)
        edges = engine.run(
            "MATCH (a:Account)-[:AMPLIFIED]->(b:Account) WHERE a.in_disclosure = true AND "
            "b.in_disclosure = true AND a.userid <> b.userid RETURN a.userid, b.userid"
        ).rows
        released = [
            row[0]
            for row in engine.run("MATCH (a:Account) WHERE a.in_disclosure = true RETURN a.userid")
        ]
    neighbours: dict[str, set[str]] = {u: set() for u in released}
    for a, b in edges:
        neighbours[a].add(b)
        neighbours[b].add(a)
    expected = peel(neighbours)
    assert {u: values[u][1] for u in released} == expected
    assert max(expected.values()) >= 3  # the check means something on this graph


def peel(neighbours: dict[str, set[str]]) -> dict[str, int]:
    degree = {u: len(n) for u, n in neighbours.items()}
    core: dict[str, int] = {}
    k = 0
    while degree:
        u = min(degree, key=lambda v: (degree[v], v))
        k = max(k, degree[u])
        core[u] = k
        del degree[u]
        for v in neighbours[u]:
            if v in degree:
                degree[v] -= 1
    return core


def test_canned_cluster_queries_read_the_stored_clusters(default_graph: EngineSettings) -> None:
    with open_engine(default_graph) as engine:
        compute_clusters(engine, ClusterSettings())
        counts = sizes(stored(engine))
        rows = run_canned(engine, "cluster-sizes").result.records()
        hashtags = run_canned(engine, "cluster-hashtags").result.records()
        table = cluster_table(engine).records()
    assert {row["cluster"]: row["accounts"] for row in rows} == dict(counts)
    assert all(row["internal_relationships"] > 0 for row in rows)
    assert {row["cluster"] for row in hashtags} == set(counts)
    assert [row["cluster"] for row in table] == sorted(counts)
    assert [row["accounts"] for row in table] == [counts[c] for c in sorted(counts)]
    for row in table:
        assert row["core"] + row["amplifiers"] + row["peripheral"] == row["accounts"]
        assert row["top_accounts"] and row["top_hashtags"]
        assert row["created_first"] <= row["created_last"]


def test_louvain_also_recovers_the_planted_clusters(default_graph: EngineSettings) -> None:
    rel = _RELEASES["default"]
    with open_engine(default_graph) as engine:
        compute_clusters(engine, ClusterSettings(algorithm=Algorithm.louvain))
        values = stored(engine)
    assert nmi_against_truth(rel, values) >= MIN_NMI


def test_cli_prints_the_cluster_table_and_writes_views(
    default_graph: EngineSettings, tmp_path: Path
) -> None:
    app = typer.Typer()
    app.command("clusters")(clusters_cli.clusters)
    view, overview = tmp_path / "clusters.html", tmp_path / "overview.html"
    result = CliRunner(env={"COLUMNS": "240"}).invoke(
        app,
        [
            "--format",
            "json",
            "--min-size",
            "5",
            "--quiet",
            "--out",
            str(view),
            "--overview",
            str(overview),
            *engine_args(default_graph),
        ],
        env=engine_env(default_graph),
    )
    assert result.exit_code == 0, (result.output, result.exception)
    rows = json.loads(result.stdout)
    with open_engine(default_graph, read_only=True) as engine:
        counts = sizes(stored(engine))
    assert [row["accounts"] for row in rows] == [counts[c] for c in sorted(counts)]
    assert min(counts.values()) >= 5
    assert set(rows[0]) >= {"cluster", "accounts", "core", "amplifiers", "top_hashtags"}
    assert view.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert overview.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


@pytest.mark.parametrize("preset", PRESETS)
def test_planted_clusters_and_roles_are_recovered(
    preset: str, cluster_engine: str, request: pytest.FixtureRequest
) -> None:
    """NMI >= 0.9 against the planted clusters, precision and recall >= 0.9 for core and
    amplifier roles, at the default and the two harder presets."""
    settings = loaded(preset, cluster_engine, request)
    rel = _RELEASES[preset]
    with open_engine(settings) as engine:
        compute_clusters(engine, ClusterSettings())
        values = stored(engine)
    nmi = nmi_against_truth(rel, values)
    assert nmi >= MIN_NMI, f"{preset}: NMI {nmi:.3f}"
    truth = rel.roles
    for role in ("core", "amplifier"):
        found = {u for u in truth if values[u][2] == role}
        planted = {u for u, r in truth.items() if r == role}
        precision = len(found & planted) / len(found) if found else 0.0
        recall = len(found & planted) / len(planted)
        assert precision >= MIN_PRECISION and recall >= MIN_RECALL, (
            f"{preset} {role}: precision {precision:.3f}, recall {recall:.3f}"
        )


def nmi_against_truth(
    rel: Release, values: dict[str, tuple[int | None, int | None, str | None]]
) -> float:
    """NMI over the accounts the generator put in a cluster; one we leave out counts as a
    cluster of its own ("none"), so dropping accounts costs."""
    planted = {u: c for u, c in rel.clusters.items() if c is not None}
    found = [values[u][0] if values[u][0] is not None else "none" for u in planted]
    return normalized_mutual_information(list(planted.values()), found)


# -- the coordination graph, built by hand -------------------------------------------------------

GROUP_A = [f"a{i}" for i in range(4)]
GROUP_B = [f"b{i}" for i in range(4)]
SWING = "x"  # tied to both groups: to A by two methods and both directions, to B by one
EXTERNAL = "ext"


def coordination_graph(engine: GraphEngine) -> None:
    released = [*GROUP_A, *GROUP_B, SWING]
    engine.insert_nodes(
        "Account",
        node_table(
            "Account",
            {
                "userid": [*released, EXTERNAL],
                "in_disclosure": [True] * len(released) + [False],
            },
        ),
    )
    ties: list[tuple[str, str, str, float]] = []
    for group, method in ((GROUP_A, "co-retweet"), (GROUP_B, "co-tweet")):
        ties += [(u, v, method, 5.0) for u in group for v in group if u != v]
    ties += [("a0", "b0", "co-hashtag", 1.0)]
    # x-a0: 2 + 2 (two methods) and a1->x 2 (the other direction): 6 in all; x-b0: 4, one tie.
    ties += [
        (SWING, "a0", "co-retweet", 2.0),
        (SWING, "a0", "co-hashtag", 2.0),
        ("a1", SWING, "co-retweet", 2.0),
        (SWING, "b0", "co-tweet", 4.0),
        (EXTERNAL, "a2", "co-retweet", 50.0),  # never clustered: not a released account
    ]
    src, dst, methods, weights = zip(*ties, strict=True)
    engine.insert_rels(
        "COORDINATED_WITH",
        "Account",
        "Account",
        rel_table(
            "COORDINATED_WITH",
            list(src),
            list(dst),
            {"method": list(methods), "window_s": [60] * len(ties), "weight": list(weights)},
        ),
    )


def test_coordinated_graph_sums_methods_and_directions(engine: GraphEngine) -> None:
    coordination_graph(engine)
    with pytest.raises(ClusterError, match="no amplified ties"):
        compute_clusters(engine, ClusterSettings())
    run = compute_clusters(engine, ClusterSettings(graph=GraphKind.coordinated))
    values = stored(engine)
    assert run.clusters == 2 and run.accounts == 9
    a_cluster, b_cluster = values["a0"][0], values["b0"][0]
    assert a_cluster is not None and b_cluster is not None and a_cluster != b_cluster
    assert {values[u][0] for u in GROUP_A} == {a_cluster}
    assert {values[u][0] for u in GROUP_B} == {b_cluster}
    # 6 to A over two methods and both directions beats 4 to B: summed, not one method or side
    assert values[SWING][0] == a_cluster
    assert a_cluster == 0  # A holds five accounts, B four
    assert values[EXTERNAL] == (None, None, None)
    assert values["a1"][1] == 3 and values["b1"][1] == 3  # two 4-cliques: k-core 3


def test_rerun_clears_values_of_accounts_out_of_scope(engine: GraphEngine) -> None:
    coordination_graph(engine)
    engine.update_nodes(
        "Account",
        pa.table(
            {
                "userid": pa.array([EXTERNAL], pa.string()),
                "cluster": pa.array([7], pa.int64()),
                "kcore": pa.array([9], pa.int64()),
                "role": pa.array(["core"], pa.string()),
            }
        ),
    )
    compute_clusters(engine, ClusterSettings(graph=GraphKind.coordinated))
    assert stored(engine)[EXTERNAL] == (None, None, None)


def test_bad_settings_are_one_line_errors(engine: GraphEngine) -> None:
    with pytest.raises(ClusterError, match="load a disclosure first"):
        compute_clusters(engine, ClusterSettings())
    coordination_graph(engine)
    with pytest.raises(ClusterError, match="no disclosure 'nope'"):
        compute_clusters(engine, ClusterSettings(graph=GraphKind.coordinated, disclosure="nope"))
    with pytest.raises(ClusterError, match="min-size"):
        compute_clusters(engine, ClusterSettings(graph=GraphKind.coordinated, min_size=0))


def test_disclosure_scope_clusters_only_its_accounts(engine: GraphEngine) -> None:
    coordination_graph(engine)
    engine.insert_nodes("Disclosure", node_table("Disclosure", {"id": ["only-a"]}))
    in_scope = [*GROUP_A, SWING]
    engine.insert_rels(
        "IN_DISCLOSURE",
        "Account",
        "Disclosure",
        rel_table("IN_DISCLOSURE", in_scope, ["only-a"] * 5),
    )
    run = compute_clusters(
        engine, ClusterSettings(graph=GraphKind.coordinated, disclosure="only-a")
    )
    values = stored(engine)
    assert run.accounts == len(in_scope) and run.clusters == 1
    assert {values[u][0] for u in in_scope} == {0}
    assert all(values[u] == (None, None, None) for u in GROUP_B)
