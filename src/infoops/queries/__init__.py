"""Canned Cypher queries (one YAML file each) and ad-hoc Cypher, on either engine.

from infoops.engines import EngineSettings, open_engine
from infoops.queries import load_library, run_canned

with open_engine(EngineSettings(db="infoops.db"), read_only=True) as engine:
    run = run_canned(engine, "top-amplified-accounts", {"limit": 10})
    print(run.result.records())
"""

from infoops.queries.guard import Refusal, check_read_only, read_only_refusal
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
    load_library,
)
from infoops.queries.runner import (
    DEFAULT_GRAPH_LIMIT,
    QueryRun,
    adhoc_params,
    canned_values,
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
    "Refusal",
    "UnknownQueryError",
    "adhoc_params",
    "canned_values",
    "check_read_only",
    "load_library",
    "prepare_canned",
    "read_only_refusal",
    "run_canned",
    "run_cypher",
]
