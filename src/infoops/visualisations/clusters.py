"""Clusters drawn two ways: account by account, and one node per cluster.

Both read what ``infoops clusters`` stored on Account nodes (``cluster``, ``role``, ``kcore``)
and the AMPLIFIED edges between clustered accounts. The account view colours accounts by cluster
and draws core accounts as stars; a big network keeps the accounts that received the most
amplification, up to ``max_nodes``, and says what it left out. The overview draws one node per
cluster and the amplification between clusters (retweets summed over their accounts, each
direction its own arrow): the picture that still works when there are too many accounts. Its
nodes are sized by their number of accounts (a size choice of its own; the retweets their
accounts received are the other); each label gives that number and the cluster's top account.
Cluster N has the same colour in both pages (the palette is taken in cluster order), and the
account view lays out each cluster as its own block, so clusters stay visible at 5,000 accounts.

Clustered accounts and their edges come back as Arrow tables and are filtered here (by
disclosure, by budget); the overview's cluster-to-cluster sums are aggregated by the engine, so a
network of millions of edges sends back one row per pair of clusters. Every statement is in the
Cypher subset both engines run.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from infoops.analysis.summary import disclosure_ids
from infoops.engines.base import GraphEngine
from infoops.errors import NoClustersError, ViewError
from infoops.visualisations.accounts import AMPLIFICATION_NOTE, ROLE_NOTE, account_nodes
from infoops.visualisations.budget import DEFAULT_NODE_BUDGET, EDGES_PER_NODE, apply_node_budget
from infoops.visualisations.graph_data import (
    COLOR_CLUSTER,
    COLOR_DISCLOSURE,
    COLOR_ROLE,
    SIZE_AMPLIFICATION,
    GraphView,
    ViewEdge,
    ViewNode,
    account_label,
    plural,
)
from infoops.visualisations.pyvis_page import write_view_html

ROLE_CORE = "core"
NO_CLUSTERS_HINT = "run `infoops clusters` first"

CLUSTERED_ACCOUNTS_CYPHER = (
    "MATCH (a:Account) WHERE a.cluster IS NOT NULL "
    "RETURN a.userid AS userid, a.cluster AS cluster, a.role AS role, a.kcore AS kcore, "
    "a.screen_name AS screen_name"
)
CLUSTERED_ACCOUNTS_OF_DISCLOSURE_CYPHER = (
    "MATCH (a:Account)-[:IN_DISCLOSURE]->(:Disclosure {id: $disclosure}) "
    "WHERE a.cluster IS NOT NULL "
    "RETURN DISTINCT a.userid AS userid, a.cluster AS cluster, a.role AS role, "
    "a.kcore AS kcore, a.screen_name AS screen_name"
)
UNCLUSTERED_CYPHER = "MATCH (a:Account) WHERE a.cluster IS NULL RETURN count(a) AS accounts"
UNCLUSTERED_OF_DISCLOSURE_CYPHER = (
    "MATCH (a:Account)-[:IN_DISCLOSURE]->(:Disclosure {id: $disclosure}) "
    "WHERE a.cluster IS NULL RETURN count(DISTINCT a) AS accounts"
)
# Amplification received from anyone (clustered or not) ranks accounts for the budget; many
# amplifiers receive none, and among them the ones that retweet the most come first.
RECEIVED_CYPHER = (
    "MATCH (b:Account)-[r:AMPLIFIED]->(a:Account) WHERE a.cluster IS NOT NULL "
    "RETURN a.userid AS userid, sum(r.count) AS retweets"
)
GIVEN_CYPHER = (
    "MATCH (a:Account)-[r:AMPLIFIED]->(b:Account) WHERE a.cluster IS NOT NULL "
    "RETURN a.userid AS userid, sum(r.count) AS retweets"
)
CLUSTER_EDGES_CYPHER = (
    "MATCH (a:Account)-[r:AMPLIFIED]->(b:Account) "
    "WHERE a.cluster IS NOT NULL AND b.cluster IS NOT NULL "
    "RETURN a.userid AS source, b.userid AS target, r.count AS count, r.first AS first, "
    "r.last AS last"
)
BETWEEN_CLUSTERS_CYPHER = (
    "MATCH (a:Account)-[r:AMPLIFIED]->(b:Account) "
    "WHERE a.cluster IS NOT NULL AND b.cluster IS NOT NULL "
    "RETURN a.cluster AS source, b.cluster AS target, sum(r.count) AS retweets, "
    "count(r) AS pairs"
)
BETWEEN_CLUSTERS_OF_DISCLOSURE_CYPHER = (
    "MATCH (d:Disclosure {id: $disclosure})<-[:IN_DISCLOSURE]-(a:Account)-[r:AMPLIFIED]->"
    "(b:Account)-[:IN_DISCLOSURE]->(d) "
    "WHERE a.cluster IS NOT NULL AND b.cluster IS NOT NULL "
    "RETURN a.cluster AS source, b.cluster AS target, sum(r.count) AS retweets, "
    "count(r) AS pairs"
)

CLUSTER_NOTE = (
    "Clusters as stored by `infoops clusters` (communities of the amplification or coordination "
    "graph; cluster 0 is the largest). Accounts without a cluster are not drawn."
)
STAR_NOTE = (
    "Star, thick border, at least mid-sized: a core account (stored role = core: posts "
    "originals that others retweet)."
)
EDGE_NOTE = (
    "Arrow: from the retweeter to the account it retweeted (AMPLIFIED), between the accounts "
    "drawn. Width: number of retweets."
)
SIZE_ACCOUNTS = "accounts"
OVERVIEW_SIZE_NOTES = {
    SIZE_ACCOUNTS: "accounts in the cluster",
    SIZE_AMPLIFICATION: "retweets the cluster's accounts received, across the whole graph",
}
OVERVIEW_EDGE_NOTE = (
    "Arrow: from the cluster whose accounts retweeted to the cluster whose accounts were "
    "retweeted; each direction is its own arrow. Width and label: retweets, summed over every "
    "AMPLIFIED edge between their accounts. Retweets within a cluster are in its tooltip."
)


@dataclass(frozen=True)
class Member:
    """A clustered account, as stored."""

    userid: str
    cluster: int
    role: str | None
    kcore: int | None
    screen_name: str | None
    received: int  # retweets received across the whole graph
    given: int  # retweets made of any account's tweets


def statements() -> list[tuple[str, str]]:
    return [
        ("view-clustered-accounts", CLUSTERED_ACCOUNTS_CYPHER),
        ("view-clustered-accounts-of-disclosure", CLUSTERED_ACCOUNTS_OF_DISCLOSURE_CYPHER),
        ("view-unclustered", UNCLUSTERED_CYPHER),
        ("view-unclustered-of-disclosure", UNCLUSTERED_OF_DISCLOSURE_CYPHER),
        ("view-cluster-received", RECEIVED_CYPHER),
        ("view-cluster-given", GIVEN_CYPHER),
        ("view-cluster-edges", CLUSTER_EDGES_CYPHER),
        ("view-between-clusters", BETWEEN_CLUSTERS_CYPHER),
        ("view-between-clusters-of-disclosure", BETWEEN_CLUSTERS_OF_DISCLOSURE_CYPHER),
    ]


def clustered_accounts(engine: GraphEngine, disclosure: str | None = None) -> list[Member]:
    """Every account with a stored cluster (of ``disclosure`` only, if given), most amplified
    first; raises ``NoClustersError`` when there is none."""
    params: dict[str, Any] = {}
    cypher = CLUSTERED_ACCOUNTS_CYPHER
    if disclosure is not None:
        known = disclosure_ids(engine)
        if disclosure not in known:
            loaded = ", ".join(known) or "none"
            raise ViewError(f"no disclosure {disclosure!r} in the graph; loaded: {loaded}")
        cypher, params = CLUSTERED_ACCOUNTS_OF_DISCLOSURE_CYPHER, {"disclosure": disclosure}
    table = engine.run_table(cypher, params)
    if table.num_rows == 0:
        scope = "no account" if disclosure is None else f"no account of {disclosure!r}"
        raise NoClustersError(f"{scope} has a cluster yet: {NO_CLUSTERS_HINT}")
    received, given = (
        _retweets_per_account(engine, RECEIVED_CYPHER),
        _retweets_per_account(engine, GIVEN_CYPHER),
    )
    columns = [
        table.column(name).to_pylist()
        for name in ("userid", "cluster", "role", "kcore", "screen_name")
    ]
    members = [
        Member(
            userid=str(userid),
            cluster=int(cluster),
            role=role,
            kcore=None if kcore is None else int(kcore),
            screen_name=screen_name,
            received=received.get(userid, 0),
            given=given.get(userid, 0),
        )
        for userid, cluster, role, kcore, screen_name in zip(*columns, strict=True)
    ]
    members.sort(key=lambda m: (-m.received, -m.given, m.userid))
    return members


def _retweets_per_account(engine: GraphEngine, cypher: str) -> dict[str, int]:
    table = engine.run_table(cypher)
    userids, retweets = table.column("userid").to_pylist(), table.column("retweets").to_pylist()
    return {str(u): int(n or 0) for u, n in zip(userids, retweets, strict=True)}


def cluster_category(cluster: int) -> str:
    """The colour category of a cluster, as account nodes carry it."""
    return f"cluster {cluster}"


def cluster_order(members: list[Member]) -> tuple[str, ...]:
    """Every stored cluster in number order: the order the palette is taken in, so cluster N
    has one colour in both pages whatever each draws (not "cluster 10" before "cluster 2")."""
    return tuple(cluster_category(n) for n in sorted({member.cluster for member in members}))


def unclustered_count(engine: GraphEngine, disclosure: str | None = None) -> int:
    if disclosure is None:
        return engine.count(UNCLUSTERED_CYPHER)
    return engine.count(UNCLUSTERED_OF_DISCLOSURE_CYPHER, {"disclosure": disclosure})


# --- account by account ------------------------------------------------------------------------


def clusters_view(
    engine: GraphEngine, *, disclosure: str | None = None, max_nodes: int = DEFAULT_NODE_BUDGET
) -> GraphView:
    """Clustered accounts and the amplification between them, at most ``max_nodes`` accounts
    (the most amplified) and ``EDGES_PER_NODE`` times as many edges (the strongest)."""
    if max_nodes < 1:
        raise ViewError(f"max-nodes must be at least 1, got {max_nodes}")
    members = clustered_accounts(engine, disclosure)
    kept = members[:max_nodes]
    kept_ids = {member.userid for member in kept}
    member_ids = {member.userid for member in members}
    edges = _account_edges(engine, member_ids)
    drawn_edges = [edge for edge in edges if edge.source in kept_ids and edge.target in kept_ids]
    edge_limit = EDGES_PER_NODE * max_nodes
    drawn_edges.sort(key=lambda e: (-e.weight, e.source, e.target))
    drawn_edges = drawn_edges[:edge_limit]

    details = account_nodes(engine, [member.userid for member in kept])
    by_id = {member.userid: member for member in kept}
    nodes: list[ViewNode] = []
    for member in kept:
        node = details.get(member.userid)
        if node is None:  # deleted between the two reads
            continue
        if member.kcore is not None:
            node.facts.append(("k-core", str(member.kcore)))
        if member.role == ROLE_CORE:
            node.shape = "star"
        nodes.append(node)
    present = {node.id for node in nodes}
    view_edges = [
        _amplified_edge(edge, by_id)
        for edge in drawn_edges
        if edge.source in present and edge.target in present
    ]
    notices = []
    if len(kept) < len(members) or len(view_edges) < len(edges):
        notices.append(_budget_notice(members, kept, edges, view_edges, max_nodes, edge_limit))
    scope = f" of {disclosure}" if disclosure else ""
    return GraphView(
        title=f"Clusters{scope}: accounts coloured by cluster",
        nodes=nodes,
        edges=view_edges,
        color_choices=(COLOR_CLUSTER, COLOR_ROLE, COLOR_DISCLOSURE),
        size_notes={SIZE_AMPLIFICATION: AMPLIFICATION_NOTE},
        colour_orders={COLOR_CLUSTER: cluster_order(members)},
        edge_note=EDGE_NOTE,
        legend_notes={COLOR_CLUSTER: CLUSTER_NOTE, COLOR_ROLE: ROLE_NOTE},
        notices=notices,
        summary=_view_summary(engine, disclosure, members, edges),
        star_note=STAR_NOTE,
        layout_groups=COLOR_CLUSTER,
    )


def write_clusters_view(
    engine: GraphEngine,
    out: str | Path,
    *,
    disclosure: str | None = None,
    max_nodes: int = DEFAULT_NODE_BUDGET,
    command: str | None = None,
) -> GraphView:
    """Write the account-level clusters page to ``out``; returns the view it drew."""
    view = clusters_view(engine, disclosure=disclosure, max_nodes=max_nodes)
    if command is None:
        command = (
            f"write_clusters_view(engine, {str(out)!r}, disclosure={disclosure!r}, "
            f"max_nodes={max_nodes})"
        )
    write_view_html(view, out, color_by=COLOR_CLUSTER, size_by=SIZE_AMPLIFICATION, command=command)
    return view


def _account_edges(engine: GraphEngine, member_ids: set[str]) -> list[ViewEdge]:
    table = engine.run_table(CLUSTER_EDGES_CYPHER)
    columns = [
        table.column(name).to_pylist() for name in ("source", "target", "count", "first", "last")
    ]
    edges = []
    for source, target, count, first, last in zip(*columns, strict=True):
        if source in member_ids and target in member_ids and source != target:
            edges.append(
                ViewEdge(
                    str(source),
                    str(target),
                    "AMPLIFIED",
                    weight=float(count or 0),
                    properties={"count": int(count or 0), "first": first, "last": last},
                )
            )
    return edges


def _amplified_edge(edge: ViewEdge, members: dict[str, Member]) -> ViewEdge:
    count = int(edge.properties["count"])
    source, target = members[edge.source].cluster, members[edge.target].cluster
    between = f"cluster {source}" if source == target else f"cluster {source} → cluster {target}"
    facts = [
        ("retweets", f"{count:,}"),
        ("clusters", between),
        ("first", str(edge.properties.get("first") or "?")),
        ("last", str(edge.properties.get("last") or "?")),
    ]
    properties = {key: value for key, value in edge.properties.items() if value is not None}
    return ViewEdge(
        edge.source,
        edge.target,
        "AMPLIFIED",
        weight=edge.weight,
        facts=facts,
        properties=properties | {"source_cluster": source, "target_cluster": target},
    )


def _budget_notice(
    members: list[Member],
    kept: list[Member],
    edges: list[ViewEdge],
    drawn: list[ViewEdge],
    max_nodes: int,
    edge_limit: int,
) -> str:
    left_out = members[len(kept) :]
    floor = kept[-1].received if kept else 0
    least = f"each at least {floor:,}; " if floor else ""
    clusters = {member.cluster for member in members}
    drawn_clusters = {member.cluster for member in kept}
    missing = len(clusters - drawn_clusters)
    whole = f"; {plural(missing, 'cluster')} not drawn at all" if missing else ""
    return (
        f"Truncated: {plural(len(members), 'clustered account')} and "
        f"{plural(len(edges), 'amplification edge')} between them, over the budget of "
        f"{max_nodes:,} accounts and {edge_limit:,} edges. Showing the {len(kept):,} accounts "
        f"that received the most retweets ({least}ties: those that retweeted the most) and "
        f"{len(drawn):,} edges, strongest first; {len(left_out):,} accounts and "
        f"{len(edges) - len(drawn):,} edges are not drawn{whole}. Raise --max-nodes, or draw one "
        "node per cluster (the cluster overview)."
    )


def _view_summary(
    engine: GraphEngine,
    disclosure: str | None,
    members: list[Member],
    edges: list[ViewEdge],
) -> list[str]:
    clusters = {member.cluster for member in members}
    core = sum(1 for member in members if member.role == ROLE_CORE)
    scope = f" of {disclosure}" if disclosure else ""
    retweets = sum(int(edge.properties["count"]) for edge in edges)
    return [
        f"{plural(len(members), 'clustered account')}{scope} in {plural(len(clusters), 'cluster')}",
        f"{plural(core, 'core account')} (stars)",
        f"{plural(len(edges), 'amplification edge')} between clustered accounts "
        f"({plural(retweets, 'retweet')})",
        f"{plural(unclustered_count(engine, disclosure), 'account')}{scope} without a cluster, "
        "not drawn",
    ]


# --- one node per cluster ------------------------------------------------------------------------


@dataclass
class _Cluster:
    cluster: int
    members: list[Member]  # most amplified first

    @property
    def node_id(self) -> str:
        return f"cluster:{self.cluster}"


def cluster_overview(engine: GraphEngine, *, disclosure: str | None = None) -> GraphView:
    """One node per stored cluster; edges are the retweets between clusters, per direction."""
    members = clustered_accounts(engine, disclosure)
    grouped: dict[int, list[Member]] = defaultdict(list)
    for member in members:
        grouped[member.cluster].append(member)
    clusters = [_Cluster(number, grouped[number]) for number in sorted(grouped)]
    between = _between_clusters(engine, disclosure, set(grouped))
    nodes = [_cluster_node(cluster, between) for cluster in clusters]
    edges = [
        ViewEdge(
            f"cluster:{source}",
            f"cluster:{target}",
            "AMPLIFIED",
            weight=float(retweets),
            facts=[("retweets", f"{retweets:,}"), ("account pairs", f"{pairs:,}")],
            properties={
                "source_cluster": source,
                "target_cluster": target,
                "retweets": retweets,
                "account_pairs": pairs,
            },
            label=f"{retweets:,}",
        )
        for (source, target), (retweets, pairs) in sorted(between.items())
        if source != target
    ]
    scope = f" of {disclosure}" if disclosure else ""
    bare = GraphView(
        title=f"Cluster overview{scope}: amplification between clusters",
        nodes=nodes,
        edges=edges,
        color_choices=(COLOR_CLUSTER,),
        size_notes=OVERVIEW_SIZE_NOTES,
        colour_orders={COLOR_CLUSTER: cluster_order(members)},
        edge_note=OVERVIEW_EDGE_NOTE,
        legend_notes={COLOR_CLUSTER: CLUSTER_NOTE},
        summary=_overview_summary(members, clusters, between, scope),
    )
    view, _report = apply_node_budget(bare, DEFAULT_NODE_BUDGET, weight_name="retweets")
    return view


def write_cluster_overview(
    engine: GraphEngine,
    out: str | Path,
    *,
    disclosure: str | None = None,
    command: str | None = None,
) -> GraphView:
    """Write the one-node-per-cluster page to ``out``; returns the view it drew."""
    view = cluster_overview(engine, disclosure=disclosure)
    if command is None:
        command = f"write_cluster_overview(engine, {str(out)!r}, disclosure={disclosure!r})"
    write_view_html(view, out, color_by=COLOR_CLUSTER, size_by=SIZE_ACCOUNTS, command=command)
    return view


def _between_clusters(
    engine: GraphEngine, disclosure: str | None, clusters: set[int]
) -> dict[tuple[int, int], tuple[int, int]]:
    """(source cluster, target cluster) -> (retweets, account pairs), within clusters too."""
    if disclosure is None:
        result = engine.run(BETWEEN_CLUSTERS_CYPHER)
    else:
        result = engine.run(BETWEEN_CLUSTERS_OF_DISCLOSURE_CYPHER, {"disclosure": disclosure})
    between = {}
    for row in result.records():
        pair = (int(row["source"]), int(row["target"]))
        if pair[0] in clusters and pair[1] in clusters:
            between[pair] = (int(row["retweets"] or 0), int(row["pairs"] or 0))
    return between


def _cluster_node(cluster: _Cluster, between: dict[tuple[int, int], tuple[int, int]]) -> ViewNode:
    members = cluster.members
    top = members[0]
    top_label = account_label(top.userid, top.screen_name)
    roles: dict[str, int] = defaultdict(int)
    for member in members:
        roles[member.role or "no role"] += 1
    received = sum(member.received for member in members)
    inside = between.get((cluster.cluster, cluster.cluster), (0, 0))[0]
    from_clusters = sum(
        retweets
        for (source, target), (retweets, _) in between.items()
        if target == cluster.cluster and source != cluster.cluster
    )
    given = sum(
        retweets
        for (source, target), (retweets, _) in between.items()
        if source == cluster.cluster and target != cluster.cluster
    )
    kcores = [member.kcore for member in members if member.kcore is not None]
    facts = [
        ("accounts", f"{len(members):,}"),
        ("roles", ", ".join(f"{role} {n:,}" for role, n in sorted(roles.items()))),
        ("top account", f"{top_label} ({plural(top.received, 'retweet')} received)"),
        (
            "most amplified",
            ", ".join(account_label(m.userid, m.screen_name) for m in members[:5]),
        ),
        ("retweets received", f"{received:,}"),
        ("within the cluster", f"{inside:,}"),
        ("from other clusters", f"{from_clusters:,}"),
        ("given to other clusters", f"{given:,}"),
    ]
    if kcores:
        facts.append(("highest k-core", str(max(kcores))))
    return ViewNode(
        id=cluster.node_id,
        # two lines: a long screen name does not widen the label across its neighbours
        label=f"cluster {cluster.cluster} · {plural(len(members), 'account')}\ntop {top_label}",
        kind="Cluster",
        facts=facts,
        categories={COLOR_CLUSTER: cluster_category(cluster.cluster)},
        metrics={SIZE_ACCOUNTS: float(len(members)), SIZE_AMPLIFICATION: float(received)},
        properties={
            "cluster": cluster.cluster,
            "accounts": len(members),
            "top_userid": top.userid,
            "retweets_received": received,
            "retweets_within": inside,
            "roles": "; ".join(f"{role}: {n}" for role, n in sorted(roles.items())),
        },
    )


def _overview_summary(
    members: list[Member],
    clusters: list[_Cluster],
    between: dict[tuple[int, int], tuple[int, int]],
    scope: str,
) -> list[str]:
    within = sum(retweets for (s, t), (retweets, _) in between.items() if s == t)
    across = sum(retweets for (s, t), (retweets, _) in between.items() if s != t)
    largest = max(len(cluster.members) for cluster in clusters)
    return [
        f"{plural(len(clusters), 'cluster')} of {plural(len(members), 'account')}{scope}",
        f"largest cluster: {plural(largest, 'account')}",
        f"{plural(across, 'retweet')} between clusters, {plural(within, 'retweet')} within them",
    ]
