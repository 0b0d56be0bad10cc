"""Canned Cypher queries (one YAML file each) and ad-hoc Cypher, on either engine.

from infoops.engines import EngineSettings, open_engine
from infoops.queries import load_library, run_canned

with open_engine(EngineSettings(db="infoops.db"), read_only=True) as engine:
    run = run_canned(engine, "top-amplified-accounts", {"limit": 10})
    print(run.result.records())
"""

from infoops.queries.library import (
    ENGINES,
    CannedQuery,
    Category,
    ParamType,
    QueryError,
    QueryLibrary,
    QueryLibraryError,
    QueryParam,
    QueryParameterError,
    UnknownQueryError,
    find_write_clause,
    load_library,
)
from infoops.queries.runner import (
    DEFAULT_GRAPH_LIMIT,
    QueryRun,
    adhoc_params,
    canned_values,
    check_read_only,
    prepare_canned,
    run_canned,
    run_cypher,
)

__all__ = [
    "DEFAULT_GRAPH_LIMIT",
    "ENGINES",
    "CannedQuery",
    "Category",
    "ParamType",
    "QueryError",
    "QueryLibrary",
    "QueryLibraryError",
    "QueryParam",
    "QueryParameterError",
    "QueryRun",
    "UnknownQueryError",
    "adhoc_params",
    "canned_values",
    "check_read_only",
    "find_write_clause",
    "load_library",
    "prepare_canned",
    "run_canned",
    "run_cypher",
]
