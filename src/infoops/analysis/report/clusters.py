"""The clusters of the selection's accounts, once ``infoops clusters`` has stored them.

Joins the stored table of clusters (``cluster_table``: size, roles, top accounts and hashtags,
creation span, over the whole graph) with how many of each cluster's accounts are in the
selection, so that side-by-side disclosures show which clusters each one holds.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from infoops.analysis.clusters.table_of_clusters import cluster_table
from infoops.engines.base import GraphEngine

CLUSTER_COUNTS = " WHERE a.cluster IS NOT NULL RETURN a.cluster AS cluster, count(*) AS accounts"
ANY_CLUSTER = "MATCH (a:Account) WHERE a.cluster IS NOT NULL RETURN count(a) AS n"


@dataclass(frozen=True)
class ClusterSummary:
    cluster: int
    accounts: int  # of the selection
    size: int  # of the whole cluster
    core: int
    amplifiers: int
    peripheral: int
    top_accounts: list[str] = field(default_factory=list)
    top_hashtags: list[str] = field(default_factory=list)
    created_first: str | None = None
    created_last: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def clusters_stored(engine: GraphEngine) -> bool:
    return bool(engine.count(ANY_CLUSTER))


def cluster_summary(
    engine: GraphEngine,
    cypher: str,
    params: dict[str, Any],
    table: list[dict[str, Any]],
) -> list[ClusterSummary]:
    """Clusters with accounts in the selection, largest share of the selection first.

    ``cypher`` is a selection of accounts (as ``a``) + ``CLUSTER_COUNTS``; ``table`` is
    ``cluster_table(engine)`` as records (read once for every selection)."""
    counts = {int(cluster): int(n) for cluster, n in engine.run(cypher, params).rows}
    rows = [
        ClusterSummary(
            cluster=int(row["cluster"]),
            accounts=counts[int(row["cluster"])],
            size=int(row["accounts"]),
            core=int(row["core"]),
            amplifiers=int(row["amplifiers"]),
            peripheral=int(row["peripheral"]),
            top_accounts=[str(name) for name in row["top_accounts"]],
            top_hashtags=[str(tag) for tag in row["top_hashtags"]],
            created_first=row["created_first"],
            created_last=row["created_last"],
        )
        for row in table
        if int(row["cluster"]) in counts
    ]
    rows.sort(key=lambda r: (-r.accounts, r.cluster))
    return rows


def stored_cluster_table(engine: GraphEngine) -> list[dict[str, Any]]:
    """The table of clusters as records; empty before ``infoops clusters`` ran."""
    if not clusters_stored(engine):
        return []
    return cluster_table(engine).records()
