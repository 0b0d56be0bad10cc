"""Run a canned query or ad-hoc Cypher on whichever engine is open.

- canned queries: the variant for ``engine.name`` ("ladybug" or "neo4j"), parameters typed and
  range-checked from the definition, inline integers written at their ``{{name}}`` markers;
- ad-hoc Cypher: one statement, a trailing ``;`` tolerated, parameters as given;
- both: refused before reaching the engine unless the read-only guard (``guard.py``, an
  allowlist of reading clauses, functions and procedures) accepts it or ``write`` is set (the
  same message on both engines); the engine's own read-only mode stays the second barrier;
- integers beyond 64 bits and, from the command line, nan or infinite numbers are refused with
  the parameter's name, before an engine's driver fails on them;
- a result holding nodes, relationships or paths is cut to ``graph_limit`` rows (default 1000),
  so an ad-hoc ``MATCH (n) RETURN n`` cannot hand a million nodes to a renderer by accident.
"""

from __future__ import annotations

import json
import math
import re
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from infoops.engines.base import GraphEngine
from infoops.engines.results import QueryResult
from infoops.queries.guard import check_read_only
from infoops.queries.library import (
    INT64_MAX,
    INT64_MIN,
    CannedQuery,
    ParamType,
    QueryError,
    QueryParam,
    QueryParameterError,
    code_only,
    fill_inline,
    load_library,
)
from infoops.queries.options import DEFAULT_GRAPH_LIMIT

_ASSIGNMENT = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)(?::([a-z]+))?=(.*)$", re.S)
_ADHOC_TYPES = {*(t.value for t in ParamType), "json"}


@dataclass(frozen=True)
class QueryRun:
    """What was run, where, how long it took, and the (possibly cut) result."""

    result: QueryResult
    cypher: str
    params: dict[str, Any]
    engine: str
    seconds: float
    total_rows: int = 0
    query: CannedQuery | None = field(default=None, compare=False)

    @property
    def truncated(self) -> bool:
        return self.total_rows > len(self.result.rows)


def single_statement(cypher: str) -> str:
    """The statement without surrounding blanks and trailing ``;``; several statements fail."""
    text = cypher.strip()
    while text.endswith(";"):
        text = text[:-1].rstrip()
    if not code_only(text).strip():
        raise QueryError("no Cypher to run: the statement is empty")
    if ";" in code_only(text):
        raise QueryError("one statement at a time: remove the ';' between statements")
    return text


def prepare_canned(
    query: CannedQuery, engine_name: str, values: Mapping[str, Any] | None = None
) -> tuple[str, dict[str, Any]]:
    """(Cypher text for ``engine_name``, parameters) with every parameter typed and checked."""
    bound = query.bind(values)
    inline = {p.name: bound.pop(p.name) for p in query.params if p.inline}
    return fill_inline(query.cypher_for(engine_name), inline), bound


def run_canned(
    engine: GraphEngine,
    query: CannedQuery | str,
    values: Mapping[str, Any] | None = None,
) -> QueryRun:
    """Run a canned query (or its id) with ``values`` (text or Python values) on ``engine``."""
    if isinstance(query, str):
        query = load_library().get_query(query)
    cypher, params = prepare_canned(query, engine.name, values)
    check_read_only(cypher)
    started = time.perf_counter()
    result = engine.run(cypher, params)
    seconds = time.perf_counter() - started
    return QueryRun(result, cypher, params, engine.name, seconds, len(result.rows), query)


def run_cypher(
    engine: GraphEngine,
    cypher: str,
    params: Mapping[str, Any] | None = None,
    *,
    write: bool = False,
    graph_limit: int | None = DEFAULT_GRAPH_LIMIT,
) -> QueryRun:
    """Run one ad-hoc statement; ``graph_limit`` rows at most when the result holds graph values.

    ``graph_limit`` None or 0 keeps every row. Without ``write`` a write clause is refused here,
    and ``engine`` should be opened read-only as well (the CLI does).
    """
    text = single_statement(cypher)
    if not write:
        check_read_only(text)
    for name, value in (params or {}).items():
        _check_numbers(name, value)
    started = time.perf_counter()
    result = engine.run(text, dict(params or {}))
    seconds = time.perf_counter() - started
    total = len(result.rows)
    if graph_limit and total > graph_limit and result.has_graph():
        result = QueryResult(result.columns, result.rows[:graph_limit])
    return QueryRun(result, text, dict(params or {}), engine.name, seconds, total)


# -- parameters from the command line -----------------------------------------------------------


def parse_assignments(assignments: Iterable[str]) -> dict[str, tuple[str | None, str]]:
    """``name=value`` or ``name:type=value`` -> {name: (type or None, text)}."""
    parsed: dict[str, tuple[str | None, str]] = {}
    for assignment in assignments:
        match = _ASSIGNMENT.match(assignment)
        if not match:
            raise QueryParameterError(
                f"--param {assignment!r} is not name=value (or name:type=value, type one of "
                f"{', '.join(sorted(_ADHOC_TYPES))})"
            )
        name, kind, value = match.groups()
        if name in parsed:
            raise QueryParameterError(f"--param {name} is given twice")
        parsed[name] = (kind, value)
    return parsed


def canned_values(query: CannedQuery, assignments: Iterable[str]) -> dict[str, str]:
    """Command-line assignments for a canned query: types come from its definition."""
    values = {}
    for name, (kind, value) in parse_assignments(assignments).items():
        if kind is not None and kind != query.param(name).type.value:
            raise QueryParameterError(
                f"parameter {name} of {query.id} is {query.param(name).type.value}, not {kind}"
            )
        values[name] = value
    return values


def adhoc_params(assignments: Iterable[str]) -> dict[str, Any]:
    """Ad-hoc parameters: text unless typed (``n:int=5``, ``ids:list=a,b``, ``m:json={...}``).

    Text by default because ids are text in this graph: ``userid=1180000000000000001`` must not
    become a number that matches nothing.
    """
    params: dict[str, Any] = {}
    for name, (kind, value) in parse_assignments(assignments).items():
        if kind is None or kind == "string":
            params[name] = value
        elif kind == "json":
            try:
                params[name] = json.loads(value)
            except json.JSONDecodeError as exc:
                raise QueryParameterError(f"--param {name}:json is not JSON: {exc}") from None
            _check_numbers(name, params[name], finite=True)
        elif kind in _ADHOC_TYPES:
            spec = QueryParam(name=name, type=ParamType(kind), help="ad-hoc", required=True)
            params[name] = spec.coerce(value)
        else:
            raise QueryParameterError(
                f"--param {name}:{kind}: unknown type; use one of {', '.join(sorted(_ADHOC_TYPES))}"
            )
    return params


def _check_numbers(name: str, value: Any, *, finite: bool = False) -> None:
    """Refuse integers beyond 64 bits anywhere in a value (and, if ``finite``, nan or infinite
    numbers): the engines' drivers fail on them with a message that names no parameter."""
    if isinstance(value, bool):
        return
    if isinstance(value, int) and not INT64_MIN <= value <= INT64_MAX:
        raise QueryParameterError(
            f"parameter {name} holds {value}, outside the 64-bit range {INT64_MIN}..{INT64_MAX}"
        )
    if finite and isinstance(value, float) and not math.isfinite(value):
        raise QueryParameterError(f"parameter {name} holds {value}, not a finite number")
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, list | tuple):
        for item in value:
            _check_numbers(name, item, finite=finite)
