"""LadybugDB, the embedded default: a database folder, no server.

Ladybug speaks the Kuzu dialect of Cypher (see docs/cypher-dialects.md). Bulk writes use
``COPY ... FROM $table`` with Arrow tables (hundreds of thousands of rows a second); it errors on a
duplicate primary key, which is why writers de-duplicate before inserting. Read-only connections
are enforced by the engine itself: ``Database(path, read_only=True)`` refuses every write.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import decimal
import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path as FsPath
from typing import Any

import ladybug
import pyarrow as pa
import pyarrow.parquet as pq

from infoops.engines.base import GraphEngine
from infoops.engines.results import Node, Path, QueryResult, Relationship, model_properties
from infoops.engines.schema import ladybug_ddl, ladybug_rel_ddl
from infoops.errors import (
    ConfigurationError,
    CypherSyntaxError,
    EngineError,
    EngineMemoryError,
    WriteRefusedError,
)
from infoops.graph_model import NODE_SPECS, REL_SPECS


def buffer_pool_bytes() -> int:
    """Ladybug's page cache. Its default is most of the machine's memory; a fixed size keeps a
    load's memory bounded (INFOOPS_LADYBUG_BUFFER_MB overrides the 512 MiB default)."""
    return int(os.environ.get("INFOOPS_LADYBUG_BUFFER_MB", "512")) * 1024 * 1024


class LadybugEngine(GraphEngine):
    name = "ladybug"
    # Ladybug keeps a transaction's new pages in its page cache until commit: measured, 2.1M
    # tweet-sized rows plus 2.1M relationships commit within a 512 MiB cache. Every commit of
    # bulk data is a checkpoint, so parts are as large as that allows.
    write_part_rows = 2_000_000

    def __init__(self, path: str | FsPath, *, read_only: bool = False) -> None:
        self.path = FsPath(path)
        self.read_only = read_only
        if read_only and not self.path.exists():
            raise ConfigurationError(
                f"no infoops database at {self.path}: load a disclosure first "
                "(infoops load twitter FILES --disclosure NAME) or point --db at one"
            )
        try:
            self._db = ladybug.Database(
                str(self.path), read_only=read_only, buffer_pool_size=buffer_pool_bytes()
            )
        except RuntimeError as exc:
            raise ConfigurationError(f"cannot open database {self.path}: {exc}") from exc
        self._conn = ladybug.Connection(self._db)
        self._in_transaction = False

    def ensure_schema(self) -> None:
        if self.read_only:
            return
        for statement in ladybug_ddl():
            self._execute(statement)
        self._add_missing_columns()

    def _add_missing_columns(self) -> None:
        """Columns the model gained since the database was made (appended: the model lists
        them last, so a table's columns stay in the model's order). Relationship tables too
        (IN_DISCLOSURE gained screen_name): ALTER TABLE adds a column to a relationship group
        as to a node table, null on the edges already there."""
        tables = [(spec.label, spec.properties) for spec in NODE_SPECS.values()]
        tables += [(spec.type, spec.properties) for spec in REL_SPECS.values()]
        for table, properties in tables:
            info = self._execute(f"CALL table_info('{table}') RETURN name").get_as_arrow()
            present = set(info.column(0).to_pylist())
            for name, kind in properties:
                if name not in present:
                    self._execute(f"ALTER TABLE {table} ADD {name} {kind}")

    def run(self, cypher: str, params: Mapping[str, Any] | None = None) -> QueryResult:
        result = self._execute(cypher, params)
        columns = list(result.get_column_names())
        rows = [[normalise(value) for value in row] for row in result.get_all()]
        return QueryResult(columns, rows)

    def run_table(self, cypher: str, params: Mapping[str, Any] | None = None) -> pa.Table:
        """Scalar-only results straight to Arrow: fast path for large look-ups."""
        return self._execute(cypher, params).get_as_arrow()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        if self._in_transaction:  # nested: the outer transaction decides
            yield
            return
        self._execute("BEGIN TRANSACTION")
        self._in_transaction = True
        try:
            yield
        except BaseException:
            self._in_transaction = False
            # A failed statement may already have aborted the transaction: the original error
            # is the one worth reporting.
            with contextlib.suppress(EngineError):
                self._execute("ROLLBACK")
            raise
        self._in_transaction = False
        self._execute("COMMIT")

    def insert_nodes(self, label: str, rows: pa.Table) -> int:
        if rows.num_rows:
            self._execute(f"COPY {label} FROM $rows", {"rows": rows})
        return int(rows.num_rows)

    def copy_nodes(self, label: str, parquet: FsPath) -> int:
        # Ladybug reads the file itself: no Python round trip, about a million rows a second.
        self._execute(f"COPY {label} FROM {_file_literal(parquet)}")
        return int(pq.ParquetFile(parquet).metadata.num_rows)

    def copy_rels(self, rel_type: str, src_label: str, dst_label: str, parquet: FsPath) -> int:
        group = len(REL_SPECS[rel_type].endpoints) > 1
        options = f" (from='{src_label}', to='{dst_label}')" if group else ""
        self._execute(f"COPY {rel_type} FROM {_file_literal(parquet)}{options}")
        return int(pq.ParquetFile(parquet).metadata.num_rows)

    def insert_rels(self, rel_type: str, src_label: str, dst_label: str, rows: pa.Table) -> int:
        if not rows.num_rows:
            return 0
        rows = rows.rename_columns(["from", "to", *rows.column_names[2:]])
        group = len(REL_SPECS[rel_type].endpoints) > 1
        options = f" (from='{src_label}', to='{dst_label}')" if group else ""
        self._execute(f"COPY {rel_type} FROM $rows{options}", {"rows": rows})
        return int(rows.num_rows)

    def update_nodes(self, label: str, rows: pa.Table) -> int:
        if not rows.num_rows:
            return 0
        # LOAD FROM an Arrow table keeps column types; UNWIND of dicts mis-types all-null columns.
        key = NODE_SPECS[label].key
        assignments = ", ".join(f"n.{c} = {c}" for c in rows.column_names if c != key)
        self._execute(
            f"LOAD FROM $rows MATCH (n:{label} {{{key}: {key}}}) SET {assignments}", {"rows": rows}
        )
        return int(rows.num_rows)

    def update_rels(self, rel_type: str, src_label: str, dst_label: str, rows: pa.Table) -> int:
        if not rows.num_rows:
            return 0
        # LOAD FROM names a row's columns as variables: v0, v1... never clash with keywords.
        names = REL_SPECS[rel_type].property_names
        values = rows.select(["src", "dst", *names]).rename_columns(
            ["src", "dst", *[f"v{i}" for i in range(len(names))]]
        )
        src_key, dst_key = NODE_SPECS[src_label].key, NODE_SPECS[dst_label].key
        assignments = ", ".join(f"e.{name} = v{i}" for i, name in enumerate(names))
        self._execute(
            f"LOAD FROM $rows MATCH (a:{src_label} {{{src_key}: src}})-[e:{rel_type}]->"
            f"(b:{dst_label} {{{dst_key}: dst}}) SET {assignments}",
            {"rows": values},
        )
        return int(rows.num_rows)

    def lookup(self, label: str, keys: Any, props: Any) -> dict[str, tuple[Any, ...]]:
        # LOAD FROM an Arrow table: about 4x faster than UNWIND of a Python list of keys.
        if not len(keys):
            return {}
        key = NODE_SPECS[label].key
        columns = "".join(f", n.{p}" for p in props)
        table = self.run_table(
            f"LOAD FROM $keys MATCH (n:{label} {{{key}: k}}) RETURN n.{key}{columns}",
            {"keys": pa.table({"k": pa.array(list(keys), pa.string())})},
        )
        rows = [table.column(i).to_pylist() for i in range(table.num_columns)]
        return {row[0]: tuple(row[1:]) for row in zip(*rows, strict=True)} if rows else {}

    def existing_keys(self, label: str, keys: Any) -> set[str]:
        return set(self.lookup(label, keys, []))

    def clear_rels(self, rel_type: str) -> None:
        # Dropping and re-creating the table takes milliseconds; DELETE of 600k edges took 9 s.
        self._execute(f"DROP TABLE {rel_type}")
        self._execute(ladybug_rel_ddl(REL_SPECS[rel_type]))

    def checkpoint(self) -> None:
        if not self.read_only:
            self._execute("CHECKPOINT")

    def close(self) -> None:
        if not self._conn.is_closed:
            self._conn.close()
        self._db.close()

    def _execute(self, cypher: str, params: Mapping[str, Any] | None = None) -> Any:
        self._forget_table_statements()
        try:
            return self._conn.execute(cypher, dict(params or {}))
        except RuntimeError as exc:
            raise translate_error(exc) from None

    def _forget_table_statements(self) -> None:
        """Drop the statements Ladybug cached for earlier calls with an Arrow table parameter.

        Its connection caches a prepared statement per query and parameter signature, and the
        signature of a table is the table's identity: every call with a table (a load's
        look-ups, its updates) adds an entry that is never used again and keeps the table and
        the statement's state alive, about a gigabyte at ten million tweets. Dropped before the
        next call rather than after this one, because a result may still be read from it; each
        of this engine's calls reads its result whole before the next.
        """
        cache: dict[tuple[str, tuple[Any, ...]], Any] | None = getattr(
            self._conn, "_pybind_implicit_prepared_cache", None
        )
        if not cache:
            return
        for key in [key for key in cache if _binds_a_table(key[1])]:
            statement = cache.pop(key)
            close = getattr(statement, "close", None)
            if callable(close):  # the C API's statements own C++ state that only close frees
                with contextlib.suppress(RuntimeError):
                    close()


def _binds_a_table(signature: tuple[Any, ...]) -> bool:
    """Whether a cached statement's parameter signature holds an object by identity (Ladybug
    writes ``('pointer', module, type, id, ...)`` for a table)."""
    return any(
        isinstance(part, tuple)
        and len(part) > 1
        and isinstance(part[1], tuple)
        and part[1][:1] == ("pointer",)
        for part in signature
    )


def _file_literal(path: FsPath) -> str:
    """A staging file path as a Cypher string literal (COPY takes no parameter for it)."""
    text = str(path)
    if "'" in text or "\\" in text:
        raise EngineError(f"staging path {text!r} cannot be quoted safely; set TMPDIR elsewhere")
    return f"'{text}'"


def translate_error(exc: Exception) -> EngineError:
    message = str(exc)
    if "read-only" in message or "read only" in message:
        return WriteRefusedError(
            "this connection is read-only and the statement writes; "
            "pass --write if you mean to change the graph"
        )
    if message.startswith(("Parser exception", "Binder exception", "Catalog exception")):
        return CypherSyntaxError(message)
    if "buffer pool is full" in message:
        return _page_cache_full()
    return EngineError(message)


def _page_cache_full() -> EngineMemoryError:
    """Ladybug's words name neither the setting nor what to do. A large release can fill the
    cache: ten million tweets filled 512 MiB in the checkpoint after the derived edges."""
    size = buffer_pool_bytes() >> 20
    return EngineMemoryError(
        f"Ladybug's page cache ({size:,} MiB) is full: run the same command again with "
        f"INFOOPS_LADYBUG_BUFFER_MB={2 * size} or more (a load resumes where it stopped)"
    )


def normalise(value: Any) -> Any:
    """Ladybug values to plain Python and engine-neutral graph values."""
    if isinstance(value, dict):
        if "_NODES" in value and "_RELS" in value:
            nodes = tuple(_node(n) for n in value["_NODES"])
            rels = tuple(_rel(r) for r in value["_RELS"])
            return Path(nodes, rels)
        if "_SRC" in value and "_LABEL" in value:
            return _rel(value)
        if "_ID" in value and "_LABEL" in value:
            return _node(value)
        return {key: normalise(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [normalise(item) for item in value]
    if isinstance(value, decimal.Decimal):  # sum() comes back as INT128 -> Decimal
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return value


def _internal_id(raw: Mapping[str, Any]) -> str:
    return f"{raw['table']}:{raw['offset']}"


def _node(raw: Mapping[str, Any]) -> Node:
    label = raw["_LABEL"]
    spec = NODE_SPECS.get(label)
    # Unlabelled pattern nodes carry every table's columns; keep only this label's.
    allowed = set(spec.property_names) if spec else None
    props = {
        key: normalise(item)
        for key, item in raw.items()
        if not key.startswith("_") and (allowed is None or key in allowed)
    }
    return Node(
        _internal_id(raw["_ID"]),
        label,
        model_properties(props, spec.property_names if spec else []),
    )


def _rel(raw: Mapping[str, Any]) -> Relationship:
    spec = REL_SPECS.get(raw["_LABEL"])
    allowed = set(spec.property_names) if spec else None
    props = {
        key: normalise(item)
        for key, item in raw.items()
        if not key.startswith("_") and (allowed is None or key in allowed)
    }
    return Relationship(
        _internal_id(raw["_ID"]),
        raw["_LABEL"],
        _internal_id(raw["_SRC"]),
        _internal_id(raw["_DST"]),
        model_properties(props, spec.property_names if spec else []),
    )
