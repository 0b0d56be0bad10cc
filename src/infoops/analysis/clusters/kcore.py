"""k-core numbers: the largest k such that the account is in a subgraph where every account has
at least k ties (igraph's coreness on the undirected graph, edge weights ignored). The dense
centre of an operation has the highest numbers; an account without ties has 0."""

from __future__ import annotations

from infoops.analysis.clusters.account_graph import AccountGraph


def kcore_numbers(account_graph: AccountGraph) -> list[int]:
    """The k-core number of each vertex of ``account_graph``."""
    if account_graph.graph.vcount() == 0:
        return []
    return [int(k) for k in account_graph.graph.coreness(mode="all")]
