"""The one small interface both engines implement.

Loaders write through ``insert_nodes`` / ``insert_rels`` (bulk, new rows only: callers
de-duplicate first, see ``loaders.graph_writer``), everything else reads through ``run``.
"""

from __future__ import annotations

import abc
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from infoops.engines.results import QueryResult
from infoops.graph_model import BOOL, FLOAT, INT, NODE_SPECS, REL_SPECS, STRING

_ARROW_TYPES = {STRING: pa.string(), INT: pa.int64(), FLOAT: pa.float64(), BOOL: pa.bool_()}


class GraphEngine(abc.ABC):
    """A graph database holding the infoops model."""

    name: str = "engine"
    read_only: bool = False
    # Rows a load writes per transaction (one staged file each, loaders/staging.py): what the
    # engine holds of a transaction until its commit bounds the write phase's memory.
    write_part_rows: int = 100_000
    # Whether a result's rows cost more than their values: Neo4j's driver makes a record
    # object per row (about 20 us of the client's time each), so a large read is better
    # asked for as one row of lists (``unlisted`` turns it back into columns).
    rows_cost_more: bool = False
    # How many read statements are worth running at once (``run_tables``): a Neo4j server runs
    # each query on one core (Community's runtime), so the parts of a large read, each in a
    # session of its own, use the server's other cores; an embedded engine gains nothing.
    read_sessions: int = 1

    @abc.abstractmethod
    def ensure_schema(self) -> None:
        """Create tables / constraints / indexes; safe to call on every open."""

    @abc.abstractmethod
    def run(self, cypher: str, params: Mapping[str, Any] | None = None) -> QueryResult:
        """Run one statement with parameters and return normalised rows."""

    @abc.abstractmethod
    def transaction(self) -> Any:
        """Context manager: statements inside commit together or not at all."""

    @abc.abstractmethod
    def insert_nodes(self, label: str, rows: pa.Table) -> int:
        """Create nodes that do not exist yet (the caller guarantees it)."""

    @abc.abstractmethod
    def insert_rels(self, rel_type: str, src_label: str, dst_label: str, rows: pa.Table) -> int:
        """Create relationships from a table with columns ``src``, ``dst`` and properties."""

    @abc.abstractmethod
    def update_nodes(self, label: str, rows: pa.Table) -> int:
        """Set every column of ``rows`` on the existing nodes matched by the label's key."""

    @abc.abstractmethod
    def update_rels(self, rel_type: str, src_label: str, dst_label: str, rows: pa.Table) -> int:
        """Set the properties of ``rows`` (columns ``src``, ``dst`` and every property of the
        type) on the existing relationship between each pair of keyed nodes."""

    def copy_nodes(self, label: str, parquet: Path) -> int:
        """Insert the (new) nodes of a Parquet file of the label's columns."""
        import pyarrow.parquet as pq

        count = 0
        for batch in pq.ParquetFile(parquet).iter_batches(batch_size=100_000):
            count += self.insert_nodes(label, pa.Table.from_batches([batch]))
        return count

    def copy_rels(self, rel_type: str, src_label: str, dst_label: str, parquet: Path) -> int:
        """Insert the relationships of a Parquet file with ``src``, ``dst`` and properties."""
        import pyarrow.parquet as pq

        count = 0
        for batch in pq.ParquetFile(parquet).iter_batches(batch_size=100_000):
            count += self.insert_rels(
                rel_type, src_label, dst_label, pa.Table.from_batches([batch])
            )
        return count

    def clear_rels(self, rel_type: str) -> None:
        """Delete every relationship of ``rel_type`` (to rebuild derived edges)."""
        from infoops.engines.cypher import delete_rels_cypher

        self.run(delete_rels_cypher(rel_type))

    def delete_everything(self, batch: int = 10_000) -> int:
        """Delete every node and relationship (the schema stays), in transactions of ``batch``
        nodes so that a large graph never needs one huge transaction. Returns nodes deleted."""
        from infoops.engines.cypher import DELETE_NODES_BATCH, DELETE_RELS_BATCH

        self._repeat_in_transactions(DELETE_RELS_BATCH, batch)
        return self._repeat_in_transactions(DELETE_NODES_BATCH, batch)

    def clear_rels_in_batches(self, rel_type: str, batch: int) -> None:
        """``clear_rels`` in transactions of its own, ``batch`` relationships each."""
        from infoops.engines.cypher import delete_rels_batch_cypher

        self._repeat_in_transactions(delete_rels_batch_cypher(rel_type), batch)

    def _repeat_in_transactions(self, statement: str, batch: int) -> int:
        """Run a statement that deletes up to ``$batch`` things and returns how many, each time
        in a transaction of its own, until it deletes nothing; the total deleted."""
        deleted = 0
        while True:
            with self.transaction():
                done = self.count(statement, {"batch": batch})
            deleted += done
            if done == 0:
                return deleted

    def checkpoint(self) -> None:  # noqa: B027 - optional hook, most engines need nothing
        """Flush the write-ahead log into the main store (engines without one do nothing)."""

    @abc.abstractmethod
    def close(self) -> None: ...

    # -- helpers shared by both engines -------------------------------------------------------

    def run_table(self, cypher: str, params: Mapping[str, Any] | None = None) -> pa.Table:
        """Scalar results as an Arrow table (engines override with a faster path)."""
        result = self.run(cypher, params)
        return pa.table({name: result.column(name) for name in result.columns})

    def run_tables(
        self, statements: Sequence[tuple[str, Mapping[str, Any] | None]]
    ) -> list[pa.Table]:
        """``run_table`` of each (statement, params), in order (engines with more than one
        ``read_sessions`` run them at once)."""
        return [self.run_table(cypher, params) for cypher, params in statements]

    def lookup(
        self, label: str, keys: Sequence[str], props: Sequence[str]
    ) -> dict[str, tuple[Any, ...]]:
        """Existing ``label`` nodes among ``keys``: key -> values of ``props``."""
        if not keys:
            return {}
        from infoops.engines.cypher import lookup_cypher

        result = self.run(lookup_cypher(label, props), {"keys": list(keys)})
        return {row[0]: tuple(row[1:]) for row in result.rows}

    def existing_keys(self, label: str, keys: Sequence[str]) -> set[str]:
        """Which of ``keys`` already exist as ``label`` nodes."""
        if not keys:
            return set()
        from infoops.engines.cypher import existing_keys_cypher

        result = self.run(existing_keys_cypher(label), {"keys": list(keys)})
        return {row[0] for row in result.rows}

    def count(self, cypher: str, params: Mapping[str, Any] | None = None) -> int:
        value = self.run(cypher, params).scalar()
        return int(value or 0)

    def __enter__(self) -> GraphEngine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def unlisted(table: pa.Table) -> pa.Table:
    """The one row of list columns of a ``RETURN collect(x) AS x, ...`` as plain columns (no
    row: no values)."""
    return pa.table(
        {name: pc.list_flatten(table.column(name)) for name in table.column_names}
        if table.num_rows
        else {name: pa.array([]) for name in table.column_names}
    )


def node_table(label: str, columns: Mapping[str, Any]) -> pa.Table:
    """An Arrow table in the label's column order, absent columns null, types from the schema."""
    spec = NODE_SPECS[label]
    length = len(next(iter(columns.values()))) if columns else 0
    arrays = [
        _array(columns[name], _ARROW_TYPES[kind])
        if name in columns
        else pa.nulls(length, _ARROW_TYPES[kind])
        for name, kind in spec.properties
    ]
    return pa.Table.from_arrays(arrays, names=spec.property_names)


def _array(values: Any, kind: pa.DataType) -> pa.Array:
    if isinstance(values, pa.ChunkedArray):
        return values.combine_chunks().cast(kind)
    if isinstance(values, pa.Array):
        return values.cast(kind)
    return pa.array(values, type=kind)


def rel_table(
    rel_type: str,
    src: Any,
    dst: Any,
    props: Mapping[str, Any] | None = None,
) -> pa.Table:
    """Relationship rows: ``src`` / ``dst`` keys (lists or Arrow arrays) and typed properties."""
    spec = REL_SPECS[rel_type]
    props = props or {}
    arrays = [_array(src, pa.string()), _array(dst, pa.string())]
    arrays += [
        _array(props.get(name, [None] * len(arrays[0])), _ARROW_TYPES[kind])
        for name, kind in spec.properties
    ]
    return pa.Table.from_arrays(arrays, names=["src", "dst", *spec.property_names])
