"""Neo4j 5 through the official driver (bolt://, neo4j://, neo4j+s://).

Writes go as ``UNWIND $rows`` batches inside explicit transactions. Reads run in READ access
mode and, because a single server executes a write even in a read session, the query type in the
result summary is checked before commit: a write is rolled back and refused.

Every call into the driver goes through ``_driver_errors``: whatever the driver raises (a server
that went away mid-query, a commit on a dead connection, a failure at close) reaches the caller
as one ``InfoopsError`` line that names the address without credentials, with the login's
password scrubbed from any text of the driver's that it quotes.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager, suppress
from typing import Any

import neo4j
import neo4j.exceptions as neo4j_errors
import neo4j.graph
import pyarrow as pa

from infoops.engines.base import GraphEngine
from infoops.engines.cypher import (
    insert_nodes_cypher,
    insert_rels_cypher,
    update_nodes_cypher,
    update_rels_cypher,
)
from infoops.engines.neo4j_address import parse_neo4j_uri, redact, secret_forms
from infoops.engines.results import Node, Path, QueryResult, Relationship, model_properties
from infoops.engines.schema import neo4j_ddl
from infoops.errors import (
    ConfigurationError,
    CypherSyntaxError,
    EngineError,
    InfoopsError,
    WriteRefusedError,
)
from infoops.graph_model import NODE_SPECS, REL_SPECS

BATCH_ROWS = 10_000


class Neo4jEngine(GraphEngine):
    name = "neo4j"
    # A transaction's state lives on the server's heap until commit: 1M tweet nodes in one went
    # past dbms.memory.transaction.total.max (70% of a 3 GB heap). 100k rows stay far below it.
    write_part_rows = 100_000
    rows_cost_more = True
    # Two parts of a large read at once: 653k co-retweet events in 2.1 s instead of 3.2 s on a
    # 2-core server (the server's CPU the same: each part scans and filters everything).
    read_sessions = 2

    def __init__(
        self,
        uri: str | None = None,
        *,
        user: str | None = None,
        password: str | None = None,
        database: str | None = None,
        read_only: bool = False,
        driver: neo4j.Driver | None = None,
    ) -> None:
        """Connect to ``uri``, or use ``driver`` (a notebook's own ``neo4j.Driver``, which this
        engine then leaves open on close, as neo4j-graphrag's classes do)."""
        self.database = database or None
        self.read_only = read_only
        self._owns_driver = driver is None
        self._secrets: frozenset[str] = frozenset()  # forms of the password, scrubbed from text
        if driver is not None:
            address = parse_neo4j_uri(uri) if uri else None
            self.uri = address.uri if address else _driver_uri(driver)
            self.user = user or "neo4j"
            self._driver = driver
            self._check()
        else:
            if not uri:
                raise ConfigurationError("no Neo4j address: pass --neo4j-uri or set NEO4J_URI")
            address = parse_neo4j_uri(uri)
            self.uri = address.uri
            user = user or address.user
            password = password if password is not None else address.password
            self.user = user or "neo4j"
            self._secrets = frozenset(secret_forms(password) | secret_forms(address.password))
            auth = (self.user, password or "") if (user or password) else None
            try:
                # Server notifications (unknown property keys on a new database, deprecations)
                # would be logged as warnings into the user's terminal: the linter checks our
                # statements instead.
                self._driver = neo4j.GraphDatabase.driver(
                    self.uri, auth=auth, notifications_min_severity="OFF"
                )
            except (ValueError, neo4j_errors.DriverError) as exc:
                raise ConfigurationError(
                    f"cannot read the Neo4j address {self.uri}: {self._quote(exc)}"
                ) from None
            try:
                self._check()
            except BaseException:
                with suppress(Exception):  # the check's one line is what the user needs
                    self._driver.close()
                raise
        self._tx: neo4j.Transaction | None = None
        self._tx_session: neo4j.Session | None = None

    def _check(self) -> None:
        """One round trip at open, so a wrong address, login or database fails here in one line
        that names the address (never the password)."""
        try:
            with self._session(write=False) as session:
                session.run("RETURN 1").consume()
        except neo4j_errors.Neo4jError as exc:
            known = self._login_or_database_error(exc)
            raise known or ConfigurationError(
                f"cannot use Neo4j at {self.uri}: {self._quote(exc)}"
            ) from None
        except (neo4j_errors.ServiceUnavailable, neo4j_errors.SessionExpired, OSError):
            raise ConfigurationError(
                f"cannot reach Neo4j at {self.uri}: no server answers there (is it running?)"
            ) from None
        except neo4j_errors.DriverError as exc:
            raise ConfigurationError(
                f"cannot reach Neo4j at {self.uri}: {self._quote(exc)}"
            ) from None
        except ValueError as exc:  # e.g. a host name IDNA cannot encode (a label too long)
            raise ConfigurationError(
                f"cannot read the Neo4j address {self.uri}: {self._quote(exc)}"
            ) from None

    def _login_or_database_error(self, exc: neo4j_errors.Neo4jError) -> InfoopsError | None:
        """A refused login or a missing database, at open or mid-run, in the user's terms."""
        if isinstance(exc, neo4j_errors.AuthError):
            return ConfigurationError(
                f"Neo4j at {self.uri} refused the login of user {self.user!r}: wrong user name "
                "or password (NEO4J_USERNAME / NEO4J_PASSWORD)"
            )
        if (exc.code or "").endswith("DatabaseNotFound"):
            return ConfigurationError(
                f"Neo4j at {self.uri} has no database {self.database!r} (NEO4J_DATABASE); "
                "Neo4j Community has one user database, 'neo4j'"
            )
        return None

    @contextmanager
    def _driver_errors(self) -> Iterator[None]:
        """Whatever the driver raises inside, as one line naming the address (never the
        password): the server's refusals in its own words, a lost connection as such."""
        try:
            yield
        except neo4j_errors.Neo4jError as exc:
            known = self._login_or_database_error(exc)
            raise known or translate_error(exc, self._secrets) from None
        except (neo4j_errors.DriverError, OSError) as exc:
            doubt = (
                " (the last commit may or may not have been applied)"
                if isinstance(exc, neo4j_errors.IncompleteCommit)
                else ""
            )
            raise EngineError(
                f"lost the connection to Neo4j at {self.uri}{doubt}: "
                f"{type(exc).__name__}: {self._quote(exc)}"
            ) from None

    def _quote(self, exc: BaseException) -> str:
        """The first line of the driver's text, without the password in any form."""
        return redact(_first_line(exc), self._secrets)

    def _session(self, write: bool, *, fetch_all: bool = False) -> neo4j.Session:
        mode = neo4j.WRITE_ACCESS if write else neo4j.READ_ACCESS
        # fetch_size=-1: the whole result in one pull, for reads that take all of it anyway
        # (measured: 653k rows in 10 s instead of 20 s with the driver's batches of 1,000).
        if fetch_all:
            return self._driver.session(
                database=self.database, default_access_mode=mode, fetch_size=-1
            )
        return self._driver.session(database=self.database, default_access_mode=mode)

    def ensure_schema(self) -> None:
        if self.read_only:
            return
        with self._driver_errors(), self._session(write=True) as session:
            for statement in neo4j_ddl():
                session.run(statement).consume()

    def run(self, cypher: str, params: Mapping[str, Any] | None = None) -> QueryResult:
        with self._driver_errors():
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

    def run_table(self, cypher: str, params: Mapping[str, Any] | None = None) -> pa.Table:
        """Scalar results straight into Arrow columns (no per-value graph normalising). Outside
        a transaction of the caller's, in one of its own that is never committed: for reads."""
        with self._driver_errors():
            if self._tx is not None:
                return _table(self._tx.run(cypher, dict(params or {})))
            with (
                self._session(write=False, fetch_all=True) as session,
                session.begin_transaction() as tx,
            ):
                return _table(tx.run(cypher, dict(params or {})))  # closed without a commit

    def run_tables(
        self, statements: Sequence[tuple[str, Mapping[str, Any] | None]]
    ) -> list[pa.Table]:
        """Each statement in a read session of its own, all at once (inside a transaction of
        the caller's: one after another in it, which sees its own writes)."""
        if self._tx is not None or len(statements) < 2:
            return super().run_tables(statements)
        with ThreadPoolExecutor(len(statements), thread_name_prefix="infoops-read") as pool:
            parts = [pool.submit(self.run_table, cypher, params) for cypher, params in statements]
            return [part.result() for part in parts]

    @contextmanager
    def transaction(self) -> Iterator[None]:
        if self._tx is not None:
            yield
            return
        with self._driver_errors():
            session = self._session(write=True)
            self._tx_session, self._tx = session, session.begin_transaction()
        try:
            yield
        except BaseException:
            # Best effort: on a dead connection the rollback fails too, and the error that
            # got here is the one to report (the server drops the transaction either way).
            with suppress(Exception):
                self._tx.rollback()
            raise
        else:
            with self._driver_errors():
                self._tx.commit()
        finally:
            self._tx = None
            self._tx_session = None
            with suppress(Exception):
                session.close()

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
        # Nulls stay in the rows: CREATE sets no property from a null.
        return self._run_in_batches(insert_rels_cypher(rel_type, src_label, dst_label), rows)

    def update_nodes(self, label: str, rows: pa.Table) -> int:
        return self._run_in_batches(update_nodes_cypher(label), rows)

    def update_rels(self, rel_type: str, src_label: str, dst_label: str, rows: pa.Table) -> int:
        if not rows.num_rows:
            return 0
        return self._run_in_batches(update_rels_cypher(rel_type, src_label, dst_label), rows)

    def _run_in_batches(self, statement: str, rows: pa.Table) -> int:
        """``statement`` over ``$rows``, BATCH_ROWS rows a time; returns the rows sent."""
        records = rows.to_pylist()
        for start in range(0, len(records), BATCH_ROWS):
            self.run(statement, {"rows": records[start : start + BATCH_ROWS]})
        return len(records)

    def close(self) -> None:
        if self._owns_driver:
            with self._driver_errors():
                self._driver.close()


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


def _driver_uri(driver: neo4j.Driver) -> str:
    """``bolt://host:port`` of a driver made elsewhere (for messages; it holds no password)."""
    scheme = "neo4j" if isinstance(driver, neo4j.Neo4jDriver) else "bolt"
    try:
        address = driver._pool.address
    except AttributeError:
        return f"{scheme}://(a driver given by the caller)"
    return f"{scheme}://{address.host}:{address.port}"


def translate_error(
    exc: neo4j_errors.Neo4jError, secrets: frozenset[str] = frozenset()
) -> EngineError:
    """The server's refusal of a statement in its own words (``secrets`` scrubbed from them)."""
    code = exc.code or ""
    if isinstance(exc, neo4j_errors.CypherSyntaxError) or code.endswith(
        ("SyntaxError", "ParameterMissing", "TypeError")
    ):
        return CypherSyntaxError(redact(exc.message or str(exc), secrets, uris=False))
    if "AccessMode" in code or "ForbiddenOnReadOnlyDatabase" in code:
        return WriteRefusedError(
            "this connection is read-only and the statement writes; "
            "pass --write if you mean to change the graph"
        )
    return EngineError(redact(f"{code}: {exc.message}", secrets, uris=False))


def _table(result: neo4j.Result) -> pa.Table:
    names = list(result.keys())
    rows = [record.values() for record in result]
    columns = list(zip(*rows, strict=True)) if rows else [() for _ in names]
    return pa.table({name: list(column) for name, column in zip(names, columns, strict=True)})


def _to_result(result: neo4j.Result) -> QueryResult:
    columns = list(result.keys())
    rows = [[normalise(value) for value in record.values()] for record in result]
    return QueryResult(columns, rows)


def normalise(value: Any) -> Any:
    if isinstance(value, neo4j.graph.Node):
        label = next(iter(value.labels), "")
        node_spec = NODE_SPECS.get(label)
        return Node(
            value.element_id,
            label,
            model_properties(
                {k: normalise(v) for k, v in value.items()},
                node_spec.property_names if node_spec else [],
            ),
        )
    if isinstance(value, neo4j.graph.Relationship):
        rel_spec = REL_SPECS.get(value.type)
        return Relationship(
            value.element_id,
            value.type,
            value.start_node.element_id if value.start_node else "",
            value.end_node.element_id if value.end_node else "",
            model_properties(
                {k: normalise(v) for k, v in value.items()},
                rel_spec.property_names if rel_spec else [],
            ),
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
