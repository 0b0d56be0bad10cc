"""The defaults of moving a graph between engines, without pyarrow or an engine behind them.

The CLI shows these in its help when it starts, before any command runs.
"""

from __future__ import annotations

BATCH_ROWS = 20_000  # rows per Neo4j transaction of a push
DEFAULT_DATABASE = "neo4j"  # the database a bulk import creates (Neo4j Community has one)
