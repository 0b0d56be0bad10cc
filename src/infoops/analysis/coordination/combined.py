"""The stored methods combined: per account pair, the methods that link it and their weights."""

from __future__ import annotations

from typing import Any

from infoops.analysis.coordination.store import all_stored
from infoops.engines.base import GraphEngine


def combined_pairs(engine: GraphEngine, *, min_methods: int = 1) -> list[dict[str, Any]]:
    """One row per directed pair with stored edges: ``methods`` ("co-retweet@60s, ..."),
    ``n_methods`` (distinct methods), ``weights`` (per method and window) and ``total`` (the
    sum); most methods first, then the heaviest."""
    by_pair: dict[tuple[str, str], dict[str, int]] = {}
    for edge in all_stored(engine):
        label = f"{edge['method']}@{edge['window_s']}s"
        by_pair.setdefault((edge["src"], edge["dst"]), {})[label] = edge["weight"]
    rows: list[dict[str, Any]] = []
    for (src, dst), weights in by_pair.items():
        methods = {label.rsplit("@", 1)[0] for label in weights}
        if len(methods) < min_methods:
            continue
        labels = sorted(weights)
        rows.append(
            {
                "src": src,
                "dst": dst,
                "n_methods": len(methods),
                "methods": ", ".join(labels),
                "weights": ", ".join(str(weights[label]) for label in labels),
                "total": sum(weights.values()),
            }
        )
    rows.sort(key=lambda r: (-r["n_methods"], -r["total"], r["src"], r["dst"]))
    return rows
