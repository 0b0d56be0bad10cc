"""COORDINATED_WITH edges written through the engine API and read back.

One edge per (u, v, method, window_s): running a method again with the same window replaces
exactly that method and window's edges. The old ones go in batches and the new ones in parts,
each in a transaction of its own (as the derived edges of a load: a million edges in one
transaction ran past Neo4j's transaction memory); an interrupted run leaves a partial set that
the next run of the same method and window replaces.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from infoops.engines.base import GraphEngine, rel_table, unlisted
from infoops.errors import CoordinationError

DELETE_BATCH = (
    "MATCH ()-[r:COORDINATED_WITH]->() WHERE r.method = $method AND r.window_s = $window_s "
    "WITH r LIMIT $batch DELETE r RETURN count(*)"
)
# Neo4j: the edges of one source account per row, so that a row carries no method or
# window, and the accounts by element id, looked up once each beforehand (91,738 edges: 2.2-2.7 s
# by userid through the unique index, 1.4-1.6 s by element id; the engine's
# one-row-per-edge insert_rels took 3.4 s).
NODE_IDS = (
    "MATCH (a:Account) WHERE a.userid IN $keys "
    "RETURN collect(a.userid) AS key, collect(elementId(a)) AS node"
)
INSERT_BY_SOURCE = (
    "UNWIND $rows AS r MATCH (a) WHERE elementId(a) = r.src "
    "UNWIND range(0, size(r.dst) - 1) AS i MATCH (b) WHERE elementId(b) = r.dst[i] "
    "CREATE (a)-[:COORDINATED_WITH "
    "{method: $method, window_s: $window_s, weight: r.weight[i]}]->(b)"
)
SOURCES_PER_STATEMENT = 2_000
LOOKUP_KEYS = 50_000
STORED = (
    "MATCH (a:Account)-[r:COORDINATED_WITH]->(b:Account) "
    "RETURN a.userid AS src, b.userid AS dst, r.method AS method, r.window_s AS window_s, "
    "r.weight AS weight"
)
STORED_OF_METHOD = (
    "MATCH (a:Account)-[r:COORDINATED_WITH]->(b:Account) "
    "WHERE r.method = $method AND r.window_s = $window_s "
    "RETURN a.userid AS src, b.userid AS dst, r.weight AS weight"
)
STORED_BETWEEN = (
    "MATCH (a:Account)-[r:COORDINATED_WITH]->(b:Account) "
    "WHERE a.userid IN $accounts AND b.userid IN $accounts "
    "RETURN a.userid AS src, b.userid AS dst, r.method AS method, r.window_s AS window_s, "
    "r.weight AS weight"
)


def statements() -> list[tuple[str, str]]:
    return [
        ("coordination:delete", DELETE_BATCH),
        ("coordination:node-ids", NODE_IDS),
        ("coordination:insert-by-source", INSERT_BY_SOURCE),
        ("coordination:stored", STORED),
        ("coordination:stored-method", STORED_OF_METHOD),
        ("coordination:stored-between", STORED_BETWEEN),
    ]


def replace_edges(
    engine: GraphEngine,
    method: str,
    window_s: int,
    edges: pa.Table,
    nodes: Mapping[str, str] | None = None,
) -> int:
    """Replace the stored edges of ``method`` and ``window_s`` by ``edges`` (src, dst,
    weight); returns the edges written. ``nodes``: ``account_nodes`` of (some of) the edges'
    accounts, looked up beforehand (the rest are looked up here)."""
    batch = engine.write_part_rows
    params: dict[str, Any] = {"method": method, "window_s": window_s, "batch": batch}
    while True:
        with engine.transaction():
            deleted = engine.count(DELETE_BATCH, params)
        if deleted < batch:  # the last batch: another statement would only scan again
            break
    if engine.rows_cost_more:
        return _insert_by_source(
            engine, {"method": method, "window_s": window_s}, edges, nodes or {}
        )
    # Ladybug's insert_rels is a COPY from the Arrow table.
    rows = rel_table(
        "COORDINATED_WITH",
        edges.column("src"),
        edges.column("dst"),
        {
            "weight": edges.column("weight").cast(pa.float64()),
            "window_s": pa.array([window_s] * edges.num_rows, pa.int64()),
            "method": pa.array([method] * edges.num_rows, pa.string()),
        },
    )
    written = 0
    for start in range(0, rows.num_rows, batch):
        with engine.transaction():
            written += engine.insert_rels(
                "COORDINATED_WITH", "Account", "Account", rows.slice(start, batch)
            )
    return written


def _insert_by_source(
    engine: GraphEngine, params: dict[str, Any], edges: pa.Table, known: Mapping[str, str]
) -> int:
    """``INSERT_BY_SOURCE`` in transactions of ``engine.write_part_rows`` edges or so, each of
    several statements (one commit per statement cost 0.3-0.4 s more for 91,738 edges: ten
    commits instead of one, each forcing the server's log to disk)."""
    ordered = edges.sort_by("src")
    src = ordered.column("src").to_pylist()
    dst = ordered.column("dst").to_pylist()
    unknown = sorted({key for key in (*src, *dst) if key not in known})
    node = {**known, **account_nodes(engine, unknown)} if unknown else known
    missing = [key for key in unknown if key not in node]
    if missing:  # an edge's accounts came from the graph
        raise CoordinationError(
            f"{len(missing)} accounts of the new edges are no longer in the graph "
            f"(the first: {missing[0]}); was a disclosure removed meanwhile? run it again"
        )
    weight = ordered.column("weight").cast(pa.float64()).to_pylist()
    sources = [node[key] for key in src]
    targets = [node[key] for key in dst]
    written = 0
    part: list[list[dict[str, Any]]] = []
    held = 0
    for rows, count in _statement_rows(sources, targets, weight, engine.write_part_rows):
        part.append(rows)
        held += count
        if held >= engine.write_part_rows:
            written += _commit(engine, params, part, held)
            part, held = [], 0
    if part:
        written += _commit(engine, params, part, held)
    return written


def _statement_rows(
    src: list[str], dst: list[str], weight: list[float], most: int
) -> Iterator[tuple[list[dict[str, Any]], int]]:
    """The rows of each ``INSERT_BY_SOURCE`` (one per source, ``src`` sorted): at most
    ``SOURCES_PER_STATEMENT`` sources and about ``most`` edges; with their edge count."""
    rows: list[dict[str, Any]] = []
    held = start = 0
    for end in range(1, len(src) + 1):
        if end < len(src) and src[end] == src[start]:
            continue
        rows.append({"src": src[start], "dst": dst[start:end], "weight": weight[start:end]})
        held += end - start
        start = end
        if len(rows) >= SOURCES_PER_STATEMENT or held >= most or end == len(src):
            yield rows, held
            rows, held = [], 0


def _commit(
    engine: GraphEngine, params: dict[str, Any], statements: list[list[dict[str, Any]]], edges: int
) -> int:
    with engine.transaction():
        for rows in statements:
            engine.run(INSERT_BY_SOURCE, {**params, "rows": rows})
    return edges


def account_nodes(engine: GraphEngine, keys: Sequence[str] | pa.ChunkedArray) -> dict[str, str]:
    """Account userid -> element id, for the keys that name an account (a column of them may
    repeat keys), on an engine that writes edges by element id (``rows_cost_more``); {} on the
    others, with no work."""
    found: dict[str, str] = {}
    if not engine.rows_cost_more:
        return found
    if isinstance(keys, pa.ChunkedArray):
        keys = pc.unique(keys).to_pylist()
    for start in range(0, len(keys), LOOKUP_KEYS):
        # One row of two lists: 20k rows took 0.4 s of the client's time.
        part = list(keys[start : start + LOOKUP_KEYS])
        table = unlisted(engine.run_table(NODE_IDS, {"keys": part}))
        found.update(
            zip(table.column("key").to_pylist(), table.column("node").to_pylist(), strict=True)
        )
    return found


def stored_edges(engine: GraphEngine, method: str, window_s: int) -> pa.Table:
    """The stored edges of one method and window: src, dst, weight (int64)."""
    table = engine.run_table(STORED_OF_METHOD, {"method": method, "window_s": window_s})
    if not table.num_rows:
        return pa.table(
            {
                "src": pa.array([], pa.string()),
                "dst": pa.array([], pa.string()),
                "weight": pa.array([], pa.int64()),
            }
        )
    return pa.table(
        {
            "src": table.column("src").cast(pa.string()),
            "dst": table.column("dst").cast(pa.string()),
            "weight": table.column("weight").cast(pa.int64()),
        }
    )


def all_stored(engine: GraphEngine) -> list[dict[str, Any]]:
    """Every stored edge: src, dst, method, window_s, weight (int)."""
    return [_typed(row) for row in engine.run(STORED).records()]


def stored_between(engine: GraphEngine, a: str, b: str) -> list[dict[str, Any]]:
    """The stored edges from a to b and from b to a."""
    rows = engine.run(STORED_BETWEEN, {"accounts": [a, b]}).records()
    return [_typed(row) for row in rows if row["src"] != row["dst"]]


def _typed(row: dict[str, Any]) -> dict[str, Any]:
    return {**row, "window_s": int(row["window_s"]), "weight": int(row["weight"])}
