"""Neo4j 5 through the official driver (bolt://, neo4j://, neo4j+s://).

Writes go as ``UNWIND $rows`` batches inside explicit transactions. Reads run in READ access
mode and, because a single server executes a write even in a read session, the query type in the
result summary is checked before commit: a write is rolled back and refused.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import neo4j
import neo4j.exceptions as neo4j_errors
import neo4j.graph
import pyarrow as pa

from infoops.engines.base import GraphEngine
from infoops.engines.cypher import insert_nodes_cypher, insert_rels_cypher, update_nodes_cypher
from infoops.engines.results import Node, Path, QueryResult, Relationship
from infoops.engines.schema import neo4j_ddl
from infoops.errors import ConfigurationError, CypherSyntaxError, EngineError, WriteRefusedError

BATCH_ROWS = 10_000
# The driver also speaks HTTP (needs aiohttp, and is another protocol): Bolt only.
BOLT_SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")


class Neo4jEngine(GraphEngine):
    name = "neo4j"

    def __init__(
        self,
        uri: str,
        *,
        user: str | None = None,
        password: str | None = None,
        database: str | None = None,
        read_only: bool = False,
    ) -> None:
        scheme = uri.split("://", 1)[0].lower() if "://" in uri else ""
        if scheme not in BOLT_SCHEMES:
            raise ConfigurationError(
                f"cannot reach Neo4j at {uri}: use a Bolt address "
                f"({', '.join(s + '://' for s in BOLT_SCHEMES)}), e.g. bolt://localhost:7687"
            )
        self.uri = uri
        self.database = database or None
        self.read_only = read_only
        auth = (user or "neo4j", password or "") if (user or password) else None
        try:
            self._driver = neo4j.GraphDatabase.driver(uri, auth=auth)
            self._driver.verify_connectivity()
        except (neo4j_errors.ServiceUnavailable, neo4j_errors.AuthError, ValueError) as exc:
            raise ConfigurationError(f"cannot reach Neo4j at {uri}: {exc}") from None
        self._tx: neo4j.Transaction | None = None
        self._tx_session: neo4j.Session | None = None

    def _session(self, write: bool) -> neo4j.Session:
        mode = neo4j.WRITE_ACCESS if write else neo4j.READ_ACCESS
        return self._driver.session(database=self.database, default_access_mode=mode)

    def ensure_schema(self) -> None:
        if self.read_only:
            return
        with self._session(write=True) as session:
            for statement in neo4j_ddl():
                session.run(statement).consume()

    def run(self, cypher: str, params: Mapping[str, Any] | None = None) -> QueryResult:
        try:
            if self._tx is not None:
                return _to_result(self._tx.run(cypher, dict(params or {})))
            with self._session(write=not self.read_only) as session:
                tx = session.begin_transaction()
                try:
                    result = tx.run(cypher, dict(params or {}))
                    converted = _to_result(result)
                    query_type = result.consume().query_type
                    if self.read_only and query_type not in ("r", None):
                        tx.rollback()
                        raise WriteRefusedError(
                            "this connection is read-only and the statement writes; "
                            "pass --write if you mean to change the graph"
                        )
                    tx.commit()
                    return converted
                finally:
                    if not tx.closed():
                        tx.close()
        except neo4j_errors.Neo4jError as exc:
            raise translate_error(exc) from None

    @contextmanager
    def transaction(self) -> Iterator[None]:
        if self._tx is not None:
            yield
            return
        session = self._session(write=True)
        self._tx_session, self._tx = session, session.begin_transaction()
        try:
            yield
        except BaseException:
            self._tx.rollback()
            raise
        else:
            self._tx.commit()
        finally:
            self._tx = None
            session.close()
            self._tx_session = None

    def insert_nodes(self, label: str, rows: pa.Table) -> int:
        statement = insert_nodes_cypher(label)
        records = rows.to_pylist()
        for start in range(0, len(records), BATCH_ROWS):
            batch = [
                {k: v for k, v in record.items() if v is not None}
                for record in records[start : start + BATCH_ROWS]
            ]
            self.run(statement, {"rows": batch})
        return len(records)

    def insert_rels(self, rel_type: str, src_label: str, dst_label: str, rows: pa.Table) -> int:
        statement = insert_rels_cypher(rel_type, src_label, dst_label)
        records = rows.to_pylist()
        for start in range(0, len(records), BATCH_ROWS):
            batch = [
                {
                    "src": record.pop("src"),
                    "dst": record.pop("dst"),
                    "props": {k: v for k, v in record.items() if v is not None},
                }
                for record in records[start : start + BATCH_ROWS]
            ]
            self.run(statement, {"rows": batch})
        return len(records)

    def update_nodes(self, label: str, rows: pa.Table) -> int:
        statement = update_nodes_cypher(label)
        records = rows.to_pylist()
        for start in range(0, len(records), BATCH_ROWS):
            self.run(statement, {"rows": records[start : start + BATCH_ROWS]})
        return len(records)

    def close(self) -> None:
        self._driver.close()


def translate_error(exc: neo4j_errors.Neo4jError) -> EngineError:
    code = exc.code or ""
    if isinstance(exc, neo4j_errors.CypherSyntaxError) or code.endswith(
        ("SyntaxError", "ParameterMissing", "TypeError")
    ):
        return CypherSyntaxError(exc.message or str(exc))
    if "AccessMode" in code or "ForbiddenOnReadOnlyDatabase" in code:
        return WriteRefusedError(
            "this connection is read-only and the statement writes; "
            "pass --write if you mean to change the graph"
        )
    return EngineError(f"{code}: {exc.message}")


def _to_result(result: neo4j.Result) -> QueryResult:
    columns = list(result.keys())
    rows = [[normalise(value) for value in record.values()] for record in result]
    return QueryResult(columns, rows)


def normalise(value: Any) -> Any:
    if isinstance(value, neo4j.graph.Node):
        label = next(iter(value.labels), "")
        return Node(value.element_id, label, {k: normalise(v) for k, v in value.items()})
    if isinstance(value, neo4j.graph.Relationship):
        return Relationship(
            value.element_id,
            value.type,
            value.start_node.element_id if value.start_node else "",
            value.end_node.element_id if value.end_node else "",
            {k: normalise(v) for k, v in value.items()},
        )
    if isinstance(value, neo4j.graph.Path):
        return Path(
            tuple(normalise(n) for n in value.nodes),
            tuple(normalise(r) for r in value.relationships),
        )
    if isinstance(value, list | tuple):
        return [normalise(item) for item in value]
    if isinstance(value, dict):
        return {key: normalise(item) for key, item in value.items()}
    if hasattr(value, "iso_format"):  # neo4j.time types
        return value.iso_format()
    return value
