"""What a caller can ask of the query library by name: its categories and the default row limit
of a graph result, without pydantic, YAML or an engine behind them.

The CLI declares its options from these when it starts, before any command runs.
"""

from __future__ import annotations

from enum import StrEnum

# Rows of a result holding nodes, relationships or paths kept by default (see runner.py).
DEFAULT_GRAPH_LIMIT = 1000


class Category(StrEnum):
    overview = "overview"
    accounts = "accounts"
    amplification = "amplification"
    coordination = "coordination"
    clusters = "clusters"
    content = "content"
    temporal = "temporal"
    crossref = "crossref"
