"""Communities, k-core numbers and roles of released accounts, written onto Account nodes
(``cluster``, ``kcore``, ``role``), and the table of clusters (``infoops clusters``)::

    from infoops.analysis.clusters import ClusterSettings, cluster_table, compute_clusters

    with open_engine(EngineSettings(db="infoops.db")) as engine:
        compute_clusters(engine, ClusterSettings(resolution=1.0, min_size=5))
        print(cluster_table(engine).records())

Modules with one job each: ``account_graph`` (the igraph Graph of accounts), ``communities``
(Leiden or Louvain), ``kcore``, ``roles`` (the rule is in its docstring), ``store`` (writing
back), ``cluster_table``, ``agreement`` (NMI against a known answer) and ``run`` (one run, all
of them in order). What computes is imported on first use (PEP 562): the CLI imports this
package for the enums of ``options`` as it starts.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from infoops.analysis.clusters.options import (
    DEFAULT_MIN_SIZE,
    DEFAULT_RESOLUTION,
    Algorithm,
    GraphKind,
)
from infoops.lazy_exports import lazy_getattr

if TYPE_CHECKING:
    from infoops.analysis.clusters.account_graph import AccountGraph, build_account_graph
    from infoops.analysis.clusters.agreement import normalized_mutual_information
    from infoops.analysis.clusters.communities import detect_communities
    from infoops.analysis.clusters.kcore import kcore_numbers
    from infoops.analysis.clusters.roles import ROLES, Behaviour, assign_roles, role_of
    from infoops.analysis.clusters.run import ClusterRun, ClusterSettings, compute_clusters
    from infoops.analysis.clusters.table_of_clusters import cluster_table

__all__ = [
    "DEFAULT_MIN_SIZE",
    "DEFAULT_RESOLUTION",
    "ROLES",
    "AccountGraph",
    "Algorithm",
    "Behaviour",
    "ClusterRun",
    "ClusterSettings",
    "GraphKind",
    "assign_roles",
    "build_account_graph",
    "cluster_table",
    "compute_clusters",
    "detect_communities",
    "kcore_numbers",
    "normalized_mutual_information",
    "role_of",
]

__getattr__ = lazy_getattr(
    __name__,
    globals(),
    {
        "account_graph": ("AccountGraph", "build_account_graph"),
        "agreement": ("normalized_mutual_information",),
        "table_of_clusters": ("cluster_table",),
        "communities": ("detect_communities",),
        "kcore": ("kcore_numbers",),
        "roles": ("ROLES", "Behaviour", "assign_roles", "role_of"),
        "run": ("ClusterRun", "ClusterSettings", "compute_clusters"),
    },
)
