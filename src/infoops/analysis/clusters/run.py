"""One clustering run: pull the account graph, find communities, k-cores and roles, write them
onto the Account nodes."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

from infoops.analysis.clusters.account_graph import build_account_graph
from infoops.analysis.clusters.communities import detect_communities
from infoops.analysis.clusters.kcore import kcore_numbers
from infoops.analysis.clusters.options import (
    DEFAULT_MIN_SIZE,
    DEFAULT_RESOLUTION,
    Algorithm,
    GraphKind,
)
from infoops.analysis.clusters.roles import assign_roles
from infoops.analysis.clusters.store import account_rows, store_account_clusters
from infoops.errors import ClusterError

if TYPE_CHECKING:
    from infoops.engines import GraphEngine


@dataclass(frozen=True)
class ClusterSettings:
    graph: GraphKind = GraphKind.amplified
    algorithm: Algorithm = Algorithm.leiden
    resolution: float = DEFAULT_RESOLUTION
    min_size: int = DEFAULT_MIN_SIZE
    disclosure: str | None = None


@dataclass(frozen=True)
class ClusterRun:
    """What a run wrote: accounts analysed, ties between them, clusters kept, role counts."""

    accounts: int
    edges: int
    clusters: int
    clustered_accounts: int
    roles: dict[str, int]


def compute_clusters(engine: GraphEngine, settings: ClusterSettings) -> ClusterRun:
    """Cluster, k-core and role for every released account in scope, written to the graph
    (values of an earlier run, anywhere in the graph, are cleared first)."""
    if settings.min_size < 1:
        raise ClusterError(f"--min-size must be at least 1, got {settings.min_size}")
    if settings.resolution <= 0:
        raise ClusterError(f"--resolution must be above 0, got {settings.resolution}")
    account_graph = build_account_graph(engine, settings.graph, settings.disclosure)
    if not account_graph.userids:
        raise ClusterError("no released accounts in the graph: load a disclosure first")
    if account_graph.edge_count == 0:
        hint = (
            "run `infoops coordination METHOD` first"
            if settings.graph is GraphKind.coordinated
            else "nobody in the release retweeted anyone else in it"
        )
        raise ClusterError(
            f"no {settings.graph.value} ties between released accounts to cluster: {hint}"
        )
    clusters = detect_communities(
        account_graph,
        settings.algorithm,
        resolution=settings.resolution,
        min_size=settings.min_size,
    )
    kcores = kcore_numbers(account_graph)
    roles = assign_roles(engine, account_graph.userids)
    store_account_clusters(engine, account_rows(account_graph.userids, clusters, kcores, roles))
    kept = [c for c in clusters if c is not None]
    return ClusterRun(
        accounts=len(account_graph.userids),
        edges=account_graph.edge_count,
        clusters=len(set(kept)),
        clustered_accounts=len(kept),
        roles=dict(Counter(roles)),
    )
