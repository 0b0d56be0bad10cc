"""Communities of an account graph, numbered by size: 0 is the largest.

Leiden (leidenalg's RBConfigurationVertexPartition, modularity with a resolution) is the default:
it guarantees connected communities, which Louvain does not. Louvain is igraph's
``community_multilevel``. Both are seeded and read a graph whose vertex and edge order is fixed
(account_graph.py), so the same graph gives the same clusters on either engine, run after run.
"""

from __future__ import annotations

import random

import igraph as ig

from infoops.analysis.clusters.account_graph import AccountGraph
from infoops.analysis.clusters.options import DEFAULT_MIN_SIZE, DEFAULT_RESOLUTION, Algorithm

SEED = 42


def detect_communities(
    account_graph: AccountGraph,
    algorithm: Algorithm = Algorithm.leiden,
    *,
    resolution: float = DEFAULT_RESOLUTION,
    min_size: int = DEFAULT_MIN_SIZE,
) -> list[int | None]:
    """The cluster of each vertex, 0 the largest, ties by the smallest userid; ``None`` for a
    vertex whose community has fewer than ``min_size`` accounts (isolated accounts included)."""
    membership = _membership(account_graph.graph, algorithm, resolution)
    members: dict[int, list[int]] = {}
    for vertex, community in enumerate(membership):
        members.setdefault(community, []).append(vertex)
    userids = account_graph.userids
    kept = sorted(
        (vertices for vertices in members.values() if len(vertices) >= min_size),
        key=lambda vertices: (-len(vertices), min(userids[v] for v in vertices)),
    )
    clusters: list[int | None] = [None] * len(membership)
    for number, vertices in enumerate(kept):
        for vertex in vertices:
            clusters[vertex] = number
    return clusters


def _membership(graph: ig.Graph, algorithm: Algorithm, resolution: float) -> list[int]:
    if graph.vcount() == 0:
        return []
    weights = graph.es["weight"] if graph.ecount() else None
    if algorithm is Algorithm.louvain:
        # community_multilevel draws from igraph's RNG, which follows Python's `random`.
        state = random.getstate()
        random.seed(SEED)
        try:
            found = graph.community_multilevel(weights=weights, resolution=resolution)
        finally:
            random.setstate(state)
        return list(found.membership)
    import leidenalg  # type: ignore[import-untyped]

    partition = leidenalg.find_partition(
        graph,
        leidenalg.RBConfigurationVertexPartition,
        weights=weights,
        resolution_parameter=resolution,
        n_iterations=-1,  # until no move improves it: the answer does not depend on a budget
        seed=SEED,
    )
    return list(partition.membership)
