"""Writing ``cluster``, ``kcore`` and ``role`` onto Account nodes, through the engine API.

A run first clears the three properties on every account that has any of them, then writes the
new values, in one transaction: a run over fewer accounts (another disclosure, a larger
``--min-size``) leaves no value of an earlier run behind, and a failed run leaves the earlier one
whole.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import pyarrow as pa

if TYPE_CHECKING:
    from infoops.engines import GraphEngine

_STORED = "a.cluster IS NOT NULL OR a.kcore IS NOT NULL OR a.role IS NOT NULL"


def account_rows(
    userids: Sequence[str],
    clusters: Sequence[int | None],
    kcores: Sequence[int | None],
    roles: Sequence[str | None],
) -> pa.Table:
    """The update rows: the key and the three properties, typed as the schema has them."""
    return pa.table(
        {
            "userid": pa.array(list(userids), pa.string()),
            "cluster": pa.array(list(clusters), pa.int64()),
            "kcore": pa.array(list(kcores), pa.int64()),
            "role": pa.array(list(roles), pa.string()),
        }
    )


def store_account_clusters(engine: GraphEngine, rows: pa.Table) -> int:
    """Clear the three properties everywhere, then write ``rows``; returns accounts written."""
    with engine.transaction():
        stale = engine.run_table(f"MATCH (a:Account) WHERE {_STORED} RETURN a.userid AS userid")
        count = stale.num_rows
        engine.update_nodes(
            "Account", account_rows(stale.column("userid").to_pylist(), *([[None] * count] * 3))
        )
        return engine.update_nodes("Account", rows)
