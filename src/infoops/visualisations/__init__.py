"""Interactive network views (self-contained pyvis HTML) and exports (GEXF, GraphML, CSV).

Everything the ``infoops chains``, ``cascade`` and ``export`` commands do, as functions::

    from infoops.engines import EngineSettings, open_engine
    from infoops.visualisations import (
        most_amplified_account, most_retweeted_tweet, write_cascade_view, write_chains_view,
    )

    with open_engine(EngineSettings(db="infoops.db"), read_only=True) as engine:
        write_chains_view(engine, most_amplified_account(engine), "chains.html", depth=2)
        write_cascade_view(engine, most_retweeted_tweet(engine), "cascade.html")

Views are built as engine-neutral ``GraphView`` objects first (``amplification_chains``,
``retweet_cascade``, ``view_from_result``), which pages and exports then draw or write.

The modules that query and draw are imported on first use (PEP 562): they need pyvis, igraph
and an engine, and the CLI imports this package as it starts, ``--help`` included, for the
enums of ``graph_data`` and ``options``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from infoops.errors import NotFoundError, ViewError
from infoops.lazy_exports import lazy_getattr
from infoops.visualisations.budget import DEFAULT_NODE_BUDGET, BudgetReport, apply_node_budget
from infoops.visualisations.graph_data import ColorBy, GraphView, SizeBy, ViewEdge, ViewNode
from infoops.visualisations.options import MAX_DEPTH, Direction, ExportFormat

if TYPE_CHECKING:
    from infoops.visualisations.cascade import retweet_cascade, write_cascade_view
    from infoops.visualisations.chains import amplification_chains, write_chains_view
    from infoops.visualisations.clusters import write_cluster_overview, write_clusters_view
    from infoops.visualisations.exports import (
        export_result,
        export_view,
        write_csv,
        write_gexf,
        write_graphml,
    )
    from infoops.visualisations.pyvis_page import render_view_html, write_view_html
    from infoops.visualisations.result_view import view_from_result, write_result_html
    from infoops.visualisations.seeds import (
        most_amplified_account,
        most_retweeted_tweet,
        resolve_account,
        resolve_tweet,
    )

__all__ = [
    "DEFAULT_NODE_BUDGET",
    "MAX_DEPTH",
    "BudgetReport",
    "ColorBy",
    "Direction",
    "ExportFormat",
    "GraphView",
    "NotFoundError",
    "SizeBy",
    "ViewEdge",
    "ViewError",
    "ViewNode",
    "amplification_chains",
    "apply_node_budget",
    "export_result",
    "export_view",
    "most_amplified_account",
    "most_retweeted_tweet",
    "render_view_html",
    "resolve_account",
    "resolve_tweet",
    "retweet_cascade",
    "view_from_result",
    "write_cascade_view",
    "write_chains_view",
    "write_cluster_overview",
    "write_clusters_view",
    "write_csv",
    "write_gexf",
    "write_graphml",
    "write_result_html",
    "write_view_html",
]

# The names imported on first use, by module.
_LAZY = {
    "cascade": ("retweet_cascade", "write_cascade_view"),
    "chains": ("amplification_chains", "write_chains_view"),
    "clusters": ("write_cluster_overview", "write_clusters_view"),
    "exports": ("export_result", "export_view", "write_csv", "write_gexf", "write_graphml"),
    "pyvis_page": ("render_view_html", "write_view_html"),
    "result_view": ("view_from_result", "write_result_html"),
    "seeds": ("most_amplified_account", "most_retweeted_tweet", "resolve_account", "resolve_tweet"),
}

if not TYPE_CHECKING:  # to a type checker, the imports above are the definitions
    __getattr__ = lazy_getattr(__name__, globals(), _LAZY)
