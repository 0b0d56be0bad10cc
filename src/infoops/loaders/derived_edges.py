"""Account-level edges derived from tweet-level ones, with count and first/last time.

Recomputed from scratch, as the last journaled step of a load that added tweet-level edges
(loaders/load_journal.py): a full recount is what keeps them right when several disclosures,
re-loads or interrupted loads touched the same accounts.
"""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from infoops.engines.base import GraphEngine, rel_table
from infoops.loaders.timestamps import iso_utc

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


def count_derived(engine: GraphEngine, rel_type: str, folder: Path) -> Path:
    """Count every ``rel_type`` edge afresh into a Parquet file in ``folder``; only reads.

    Run before the transaction that writes them: on Neo4j a read inside a write transaction
    keeps its grouping memory until the commit (a 1M-tweet recount then ran past the server's
    transaction memory limit). A file, not a table parameter: Ladybug keeps a table passed as a
    query parameter alive with the connection, a file it reads and lets go.
    """
    edges = _edge_table(rel_type, engine.run_table(DERIVATIONS[rel_type]))
    path = folder / f"derived-{rel_type}.parquet"
    pq.write_table(edges, path)
    return path


def replace_derived(engine: GraphEngine, rel_type: str, counted: Path) -> int:
    """Replace every ``rel_type`` edge by those ``count_derived`` wrote (inside the caller's
    transaction)."""
    engine.clear_rels(rel_type)
    return engine.copy_rels(rel_type, "Account", "Account", counted)


def fits_one_transaction(engine: GraphEngine, counted: dict[str, Path]) -> bool:
    rows = sum(int(pq.ParquetFile(path).metadata.num_rows) for path in counted.values())
    return rows <= engine.write_part_rows


def replace_derived_in_parts(engine: GraphEngine, counted: dict[str, Path]) -> dict[str, int]:
    """``replace_derived`` for edges too many for one of the engine's transactions (Neo4j, 1M
    tweets: 1.2M derived edges ran past the server's transaction memory): each type cleared in
    batches, then written in parts of ``write_part_rows``, each in a transaction of its own.
    Killed half-way, the journal's step is not done, and the next run recounts and rewrites all.
    """
    derived = {}
    for rel_type, path in counted.items():
        engine.clear_rels_in_batches(rel_type, engine.write_part_rows)
        derived[rel_type] = 0
        for batch in pq.ParquetFile(path).iter_batches(batch_size=engine.write_part_rows):
            with engine.transaction():
                part = pa.Table.from_batches([batch])
                derived[rel_type] += engine.insert_rels(rel_type, "Account", "Account", part)
    return derived


def _edge_table(rel_type: str, table: pa.Table) -> pa.Table:
    first_s = pc.cast(table.column("first_s"), pa.int64())
    last_s = pc.cast(table.column("last_s"), pa.int64())
    return rel_table(
        rel_type,
        table.column("src"),
        table.column("dst"),
        {
            "count": pc.cast(table.column("n"), pa.int64()),
            "first_s": first_s,
            "last_s": last_s,
            "first": iso_utc(first_s),
            "last": iso_utc(last_s),
        },
    )
