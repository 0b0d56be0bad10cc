"""Canned Cypher queries (one YAML file each) and ad-hoc Cypher, on either engine.

from infoops.engines import EngineSettings, open_engine
from infoops.queries import load_library, run_canned

with open_engine(EngineSettings(db="infoops.db"), read_only=True) as engine:
    run = run_canned(engine, "top-amplified-accounts", {"limit": 10})
    print(run.result.records())

Everything but the errors and ``infoops.queries.options`` is imported on first use (PEP 562):
the library and the runner need pydantic, YAML and an engine, and the CLI imports this package
as it starts, ``--help`` included, for its options.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from infoops.errors import QueryError, QueryLibraryError, QueryParameterError, UnknownQueryError
from infoops.lazy_exports import lazy_getattr
from infoops.queries.options import DEFAULT_GRAPH_LIMIT, Category

if TYPE_CHECKING:
    from infoops.queries.guard import Refusal, check_read_only, read_only_refusal
    from infoops.queries.library import (
        ENGINES,
        CannedQuery,
        ParamType,
        QueryLibrary,
        QueryParam,
        load_library,
    )
    from infoops.queries.runner import (
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

# The names imported on first use, by module.
_LAZY = {
    "guard": ("Refusal", "check_read_only", "read_only_refusal"),
    "library": (
        "ENGINES",
        "CannedQuery",
        "ParamType",
        "QueryLibrary",
        "QueryParam",
        "load_library",
    ),
    "runner": (
        "QueryRun",
        "adhoc_params",
        "canned_values",
        "prepare_canned",
        "run_canned",
        "run_cypher",
    ),
}

if not TYPE_CHECKING:  # to a type checker, the imports above are the definitions
    __getattr__ = lazy_getattr(__name__, globals(), _LAZY)
