"""Account-level edges derived from tweet-level ones, with count and first/last time.

Recomputed from scratch after every load, inside one transaction: a full recount is what keeps
them right when several disclosures, re-loads or interrupted loads touched the same accounts.
"""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc

from infoops.engines.base import GraphEngine, rel_table

# (derived type, Cypher returning src, dst, n, first_s, last_s). Authors come from Tweet.userid,
# which placeholders carry too, so retweets of tweets outside the release still count.
DERIVATIONS: dict[str, str] = {
    "AMPLIFIED": (
        "MATCH (t:Tweet)-[:RETWEET_OF]->(o:Tweet) "
        "WHERE t.userid IS NOT NULL AND o.userid IS NOT NULL "
        "RETURN t.userid AS src, o.userid AS dst, count(*) AS n, "
        "min(t.time_s) AS first_s, max(t.time_s) AS last_s"
    ),
    "REPLIED_TO": (
        "MATCH (t:Tweet)-[:REPLY_TO]->(o:Tweet) "
        "WHERE t.userid IS NOT NULL AND o.userid IS NOT NULL "
        "RETURN t.userid AS src, o.userid AS dst, count(*) AS n, "
        "min(t.time_s) AS first_s, max(t.time_s) AS last_s"
    ),
    "MENTIONED": (
        "MATCH (t:Tweet)-[:MENTIONS]->(a:Account) WHERE t.userid IS NOT NULL "
        "RETURN t.userid AS src, a.userid AS dst, count(*) AS n, "
        "min(t.time_s) AS first_s, max(t.time_s) AS last_s"
    ),
}


def derive_account_edges(engine: GraphEngine) -> dict[str, int]:
    """Rebuild AMPLIFIED, REPLIED_TO and MENTIONED; returns how many of each now exist."""
    created: dict[str, int] = {}
    # Uncommitted and un-checkpointed pages hold the buffer pool; the aggregations need it.
    engine.checkpoint()
    with engine.transaction():
        for rel_type, cypher in DERIVATIONS.items():
            table = engine.run_table(cypher)
            engine.run(f"MATCH ()-[r:{rel_type}]->() DELETE r")
            created[rel_type] = engine.insert_rels(
                rel_type, "Account", "Account", _edge_table(rel_type, table)
            )
    return created


def _iso(seconds: pa.ChunkedArray) -> list[str | None]:
    stamps = pc.cast(pc.cast(seconds, pa.int64()), pa.timestamp("s", "UTC"))
    return pc.strftime(stamps, format="%Y-%m-%dT%H:%M:%SZ").to_pylist()  # type: ignore[no-any-return]


def _edge_table(rel_type: str, table: pa.Table) -> pa.Table:
    if table.num_rows == 0:
        return rel_table(rel_type, [], [])
    first_s, last_s = table.column("first_s"), table.column("last_s")
    return rel_table(
        rel_type,
        table.column("src").to_pylist(),
        table.column("dst").to_pylist(),
        {
            "count": pc.cast(table.column("n"), pa.int64()).to_pylist(),
            "first_s": pc.cast(first_s, pa.int64()).to_pylist(),
            "last_s": pc.cast(last_s, pa.int64()).to_pylist(),
            "first": _iso(first_s),
            "last": _iso(last_s),
        },
    )
