"""Neo4j's own linter over every Cypher string infoops can send to Neo4j, found automatically.

What gets linted comes from two complementary sources, neither of them a hand-kept list:

- **static** (here, ``collect_static``): every module of the ``infoops`` package is imported and
  searched.

  - Module-level strings, and strings inside module-level dicts, lists and tuples, that start
    with a Cypher clause (``MATCH``, ``OPTIONAL MATCH``, ``UNWIND``, ``CREATE``, ``MERGE``,
    ``RETURN``, ``WITH``, ``CALL``, ``SHOW``).
  - What every module-level builder returns: functions named ``statements``, ``*_statements``,
    ``*_queries``, ``*_cypher`` or ``*_ddl`` that return text. They are called for every label
    (with its key and some properties) and every relationship type and endpoint pair of
    ``infoops.graph_model``; other parameters take the samples of ``SAMPLE_ARGUMENTS``, ``bool``
    switches are called at their defaults and all flipped, the rest keep their defaults. A
    builder with a parameter that cannot be filled fails ``test_every_builder_can_be_called``;
    a builder refuses a label or type it does not serve by raising ``ValueError`` or
    ``KeyError``, and that call is skipped.
  - The Neo4j form of every canned query, inline markers filled with their defaults.

- **dynamic** (tests/cypher_recorder.py, a pytest plugin): every statement a test session
  actually sends to a Neo4j server, linted when the session ends.

Left out, because the Neo4j engine never sends them (``LADYBUG_ONLY``): the module
``engines.ladybug_engine`` and every module-level name containing ``ladybug`` (Ladybug's DDL in
``engines.schema``), as well as the Ladybug variants of canned queries.

Strings collected statically may be pieces that a module joins into statements (the summary's
selections, which end in ``WITH``, and continuations, which start with a space): lint errors in
such a piece are excused when it appears inside a longer collected statement, since that whole
statement is linted too. Everything else must lint without
errors, and without warnings (unknown labels, types or properties: typos; cartesian products)
other than ``ROW_KEY_WARNINGS``; canned queries without any warning.
"""

from __future__ import annotations

import importlib
import inspect
import itertools
import json
import os
import pkgutil
import re
import subprocess
import sys
import textwrap
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

import infoops
from cypher_recorder import OBSERVED, RECORDER, LintRun, lint, linter_missing
from infoops.graph_model import NODES, RELS
from infoops.queries import load_library
from infoops.queries.library import fill_inline, parameter_names

TESTS = Path(__file__).resolve().parents[1]

needs_linter = pytest.mark.skipif(linter_missing() is not None, reason=str(linter_missing()))

CYPHER_START = re.compile(
    r"\s*(OPTIONAL\s+MATCH|MATCH|UNWIND|CREATE|MERGE|RETURN|WITH|CALL|SHOW)\b"
)
BUILDER = re.compile(r"^(statements|\w+_statements|\w+_queries|\w+_cypher|\w+_ddl)$")

# Never sent by the Neo4j engine, so never linted as Neo4j Cypher (module -> why).
LADYBUG_ONLY = {
    "infoops.engines.ladybug_engine": (
        "the Ladybug engine itself: COPY, LOAD FROM, DROP TABLE, CHECKPOINT and transaction "
        "statements in Ladybug's dialect"
    ),
}
LADYBUG_NAME = re.compile(r"ladybug", re.IGNORECASE)
LADYBUG_NAME_REASON = "a Ladybug-only name (engines.schema.ladybug_ddl: CREATE NODE/REL TABLE)"
NOT_IMPORTED = {"__main__": "running the CLI is all it does when imported"}

# The one warning a collected statement may carry: ``UNWIND $rows AS r ... r.src`` reads a key of
# a row map, which the linter takes for an unknown property key.
ROW_KEY_WARNINGS = tuple(f"{key} is not present in the database" for key in ("src", "dst"))

# How a selection that a continuation completes ends: `... WITH DISTINCT a`, `... WITH a, b`.
OPEN_SELECTION = re.compile(r"\bWITH\s+(DISTINCT\s+)?\w+(\s*,\s*\w+)*$")

# Sample values for builder parameters that are neither labels nor relationship types.
SAMPLE_ARGUMENTS: dict[str, tuple[Any, ...]] = {
    "disclosure": (None, "d"),  # analysis.summary.summary_queries: all released, one disclosure
}


@dataclass
class Collection:
    statements: dict[str, list[str]] = field(default_factory=dict)  # Cypher -> where found
    excluded: dict[str, str] = field(default_factory=dict)  # what was left out -> why
    unfillable: list[str] = field(default_factory=list)  # builders with unknown parameters
    builders: dict[str, int] = field(default_factory=dict)  # builder -> Cypher strings it gave
    refused: list[str] = field(default_factory=list)  # calls a builder refused (ValueError...)

    def add(self, where: str, text: str) -> bool:
        if not CYPHER_START.match(text):
            return False
        self.statements.setdefault(text, []).append(where)
        return True


def infoops_modules() -> Iterator[ModuleType]:
    for info in pkgutil.walk_packages(infoops.__path__, "infoops."):
        if info.name.rsplit(".", 1)[-1] not in NOT_IMPORTED:
            yield importlib.import_module(info.name)


def strings_in(value: Any, where: str, depth: int = 0) -> Iterator[tuple[str, str]]:
    """(where, text) of every string in ``value``, through dicts, lists, tuples and sets."""
    if isinstance(value, str):
        yield where, value
    elif depth > 5:
        return
    elif isinstance(value, Mapping):
        for key, item in value.items():
            yield from strings_in(item, f"{where}[{key!r}]", depth + 1)
    elif (
        isinstance(value, tuple)
        and len(value) == 2
        and isinstance(value[0], str)
        and not CYPHER_START.match(value[0])
    ):  # (name, Cypher), as the statements() functions return them
        yield from strings_in(value[1], f"{where}[{value[0]!r}]", depth + 1)
    elif isinstance(value, list | tuple | set | frozenset):
        for index, item in enumerate(value):
            yield from strings_in(item, f"{where}[{index}]", depth + 1)


def argument_sets(function: Callable[..., Any]) -> list[dict[str, Any]] | None:
    """Every call to make of a builder, or None when a parameter has no known sample."""
    parameters = inspect.signature(function).parameters
    node_names = [name for name in parameters if name in ("label", "key", "props")]
    rel_names = [name for name in parameters if name in ("rel_type", "src_label", "dst_label")]
    axes: list[list[dict[str, Any]]] = []
    if node_names:
        nodes = [{"label": n.label, "key": n.key, "props": n.property_names[1:3]} for n in NODES]
        axes.append(_project(nodes, node_names))
    if rel_names:
        rels = [
            {"rel_type": rel.type, "src_label": src, "dst_label": dst}
            for rel in RELS
            for src, dst in rel.endpoints
        ]
        axes.append(_project(rels, rel_names))
    for name, parameter in parameters.items():
        if name in node_names or name in rel_names:
            continue
        if name in SAMPLE_ARGUMENTS:
            axes.append([{name: value} for value in SAMPLE_ARGUMENTS[name]])
        elif parameter.default is inspect.Parameter.empty and parameter.kind not in (
            inspect.Parameter.VAR_POSITIONAL,
            inspect.Parameter.VAR_KEYWORD,
        ):
            return None
    switches = {
        name: not parameter.default
        for name, parameter in parameters.items()
        if parameter.annotation in ("bool", bool) and isinstance(parameter.default, bool)
    }
    if switches:  # the defaults, and every switch flipped
        axes.append([{}, switches])
    return [{k: v for part in combo for k, v in part.items()} for combo in itertools.product(*axes)]


def _project(samples: list[dict[str, Any]], names: list[str]) -> list[dict[str, Any]]:
    """``samples`` reduced to ``names``, duplicates dropped (a type with several endpoints)."""
    seen: dict[str, dict[str, Any]] = {}
    for sample in samples:
        call = {name: sample[name] for name in names}
        seen.setdefault(repr(call), call)
    return list(seen.values())


def _call_name(qualified: str, arguments: Mapping[str, Any]) -> str:
    shown = ", ".join(f"{k}={v!r}" for k, v in arguments.items())
    return f"{qualified}({shown})"


@cache
def collect_static() -> Collection:
    found = Collection()
    for module in infoops_modules():
        if module.__name__ in LADYBUG_ONLY:
            found.excluded[module.__name__] = LADYBUG_ONLY[module.__name__]
            continue
        for name, value in sorted(vars(module).items()):
            qualified = f"{module.__name__}.{name}"
            if name.startswith("__") or isinstance(value, type | ModuleType):
                continue
            if inspect.isfunction(value):
                if value.__module__ != module.__name__ or not BUILDER.match(name):
                    continue
                if "str" not in str(inspect.signature(value).return_annotation):
                    continue  # returns no text: not a builder (run_cypher, list_queries)
                if LADYBUG_NAME.search(name):
                    found.excluded[qualified] = LADYBUG_NAME_REASON
                    continue
                calls = argument_sets(value)
                if calls is None:
                    found.unfillable.append(qualified)
                    continue
                found.builders[qualified] = 0
                for arguments in calls:
                    call = _call_name(qualified, arguments)
                    try:
                        output = value(**arguments)
                    except (ValueError, KeyError) as exc:
                        found.refused.append(f"{call}: {exc!r}")
                        continue
                    for where, text in strings_in(output, call):
                        found.builders[qualified] += found.add(where, text)
            elif not callable(value):
                if LADYBUG_NAME.search(name):
                    found.excluded[qualified] = LADYBUG_NAME_REASON
                    continue
                for where, text in strings_in(value, qualified):
                    found.add(where, text)
    return found


def is_fragment(text: str, statements: list[str]) -> bool:
    """Whether ``text`` is a piece that a module joins into statements: a continuation (it starts
    with white space) or an open selection (it ends in a WITH clause), found inside a longer
    collected statement. A complete statement that happens to be the start of another one is
    not a piece: it is linted on its own."""
    piece = text.strip()
    if not (text[:1].isspace() or OPEN_SELECTION.search(piece)):
        return False
    return any(piece in other and len(other.strip()) > len(piece) for other in statements)


def canned_statements() -> list[tuple[str, str, dict[str, Any]]]:
    """(name, Cypher, parameters): the Neo4j form of every canned query, inline markers filled
    with their defaults."""
    items = []
    for query in load_library().values():
        inline = {p.name: p.coerce(p.default) for p in query.params if p.inline}
        params = {p.name: p.default if p.default is not None else "" for p in query.params}
        items.append(
            (
                f"query:{query.id}",
                fill_inline(query.cypher_for("neo4j"), inline),
                {k: v for k, v in params.items() if k not in inline},
            )
        )
    return items


def report(run: LintRun, index: int, name: str, cypher: str) -> str:
    lines = [f"{name}: {' '.join(cypher.split())}"]
    lines += [f"    {d}" for d in run.of(index)]
    return "\n".join(lines)


# -- the collection ------------------------------------------------------------------------------


def test_every_builder_can_be_called() -> None:
    found = collect_static()
    assert not found.unfillable, (
        f"builders with parameters the collector cannot fill: {found.unfillable}; "
        "add a sample to SAMPLE_ARGUMENTS"
    )
    silent = [name for name, count in found.builders.items() if not count]
    assert not silent, f"builders that gave no Cypher for any label or type: {silent}"
    assert "infoops.engines.cypher.insert_rels_cypher" in found.builders


def test_the_collection_holds_what_infoops_sends() -> None:
    """Known statements, so that a collector that stops finding things is caught."""
    from infoops.analysis.summary import DISCLOSURE_IDS, summary_queries
    from infoops.engines import cypher
    from infoops.engines.schema import ladybug_ddl, neo4j_ddl
    from infoops.loaders import load_journal
    from infoops.loaders.derived_edges import DERIVATIONS
    from infoops.loaders.disclosure import UPDATE_LOADED_AT
    from infoops.loaders.twitter_io import graph_writer
    from infoops.visualisations import accounts, cascade, chains, seeds

    collected = collect_static().statements
    expected = [DISCLOSURE_IDS, UPDATE_LOADED_AT, *DERIVATIONS.values(), *neo4j_ddl()]
    for node in NODES:
        expected += [
            cypher.insert_nodes_cypher(node.label),
            cypher.update_nodes_cypher(node.label),
            cypher.existing_keys_cypher(node.label),
            cypher.lookup_cypher(node.label, node.property_names[1:3]),
        ]
    for rel in RELS:
        expected.append(cypher.delete_rels_cypher(rel.type))
        expected += [cypher.insert_rels_cypher(rel.type, s, d) for s, d in rel.endpoints]
        if rel.property_names:
            expected += [cypher.update_rels_cypher(rel.type, s, d) for s, d in rel.endpoints]
    for disclosure in (None, "d"):
        expected += summary_queries(disclosure).values()
    for module in (load_journal, graph_writer, accounts, cascade, chains, seeds):
        expected += [text for _, text in module.statements()]
    missing = [text for text in expected if text not in collected]
    assert not missing, "\n".join(missing)
    assert not set(ladybug_ddl()) & collected.keys()


def test_ladybug_only_exclusions_are_real() -> None:
    """Each exclusion names something that exists, and the name rule catches Ladybug's DDL."""
    excluded = collect_static().excluded
    for module in LADYBUG_ONLY:
        importlib.import_module(module)
        assert module in excluded
    assert excluded["infoops.engines.schema.ladybug_ddl"] == LADYBUG_NAME_REASON
    assert excluded["infoops.engines.schema.ladybug_rel_ddl"] == LADYBUG_NAME_REASON


def test_only_pieces_count_as_fragments() -> None:
    from infoops.analysis.summary import ACCOUNT_COUNTS, ACCOUNTS_RELEASED, DISCLOSURE_IDS
    from infoops.visualisations.seeds import TWEET_BY_ID_CYPHER

    texts = list(collect_static().statements)
    assert is_fragment(ACCOUNTS_RELEASED, texts) and is_fragment(ACCOUNT_COUNTS, texts)
    # the start of cascade.TWEET_CYPHER, and a statement of its own
    assert not is_fragment(TWEET_BY_ID_CYPHER, texts)
    assert not is_fragment(DISCLOSURE_IDS, texts)


def test_the_recorder_observes_the_driver(request: pytest.FixtureRequest) -> None:
    import neo4j

    assert RECORDER in request.config.stash
    for cls in (neo4j.Session, neo4j.Transaction, neo4j.ManagedTransaction):
        assert getattr(cls.run, OBSERVED, False), f"{cls.__name__}.run is not observed"


# -- the linter ----------------------------------------------------------------------------------


@needs_linter
def test_every_neo4j_statement_lints_without_errors() -> None:
    canned = canned_statements()
    static = collect_static().statements
    assert len(canned) >= 25 and len(static) >= 100
    texts = list(static)
    run = lint(
        [(cypher, params) for _, cypher, params in canned]
        + [(text, dict.fromkeys(parameter_names(text), 0)) for text in texts]
    )
    assert run.summary.startswith(f"linted {len(canned) + len(texts)} statements"), run.output
    problems = []
    # Warnings are unknown labels, types or properties (typos) and cartesian products: none is
    # acceptable in a canned query.
    for index, (name, cypher, _) in enumerate(canned):
        if run.of(index):
            problems.append(report(run, index, name, cypher))
    for offset, text in enumerate(texts, start=len(canned)):
        flagged = [d for d in run.of(offset) if not d.message.startswith(ROW_KEY_WARNINGS)]
        if flagged and not is_fragment(text, texts):
            problems.append(report(run, offset, static[text][0], text))
    assert not problems, "\n".join(problems)


@needs_linter
def test_the_linter_catches_what_it_must() -> None:
    """The check above could pass vacuously; these statements must each be reported."""
    bad = [
        "MATCH (a:Account RETURN a",  # syntax
        "MATCH (a:Account) RETURN b",  # undefined variable
        "MATCH (a:Account) RETURN a LIMIT $n",  # undeclared parameter
        "MATCH (a:Account) RETURN label(a)",  # a Ladybug function
        "MATCH p=(a)-[:AMPLIFIED* SHORTEST 1..3]->(b) RETURN p",  # Ladybug's shortest path
        "CREATE NODE TABLE IF NOT EXISTS Url(url STRING, PRIMARY KEY (url))",  # Ladybug's DDL
    ]
    run = lint([(cypher, {}) for cypher in bad])
    assert run.returncode == 1
    for index, cypher in enumerate(bad):
        assert run.of(index, "error"), f"not reported: {cypher}\n{run.output}"
    typo = lint([("MATCH (a:Acount) RETURN a.screenname", {})])
    assert typo.returncode == 0 and len(typo.of(0, "warning")) == 2


@needs_linter
def test_a_lint_error_in_a_statement_sent_fails_the_session(tmp_path: Path) -> None:
    """The recorder's verdict reaches pytest's exit status (here with statements noted by hand:
    the real ones need a Neo4j server)."""
    (tmp_path / "conftest.py").write_text('pytest_plugins = ["cypher_recorder"]\n')
    (tmp_path / "test_sent.py").write_text(
        textwrap.dedent(
            """
            from cypher_recorder import RECORDER

            def test_sends(request):
                recorder = request.config.stash[RECORDER]
                recorder.note("MATCH (a:Account) RETURN b", {}, None)  # ran
                recorder.note("MATCH (a:Account RETURN a", {}, RuntimeError("no"))  # refused
                recorder.note("MATCH (a:Account {userid: $id}) RETURN a", {"id": "1"}, None)
                recorder.note("MATCH (a:Account {userid: $id}) RETURN a", {"id": "2"}, None)
            """
        )
    )
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(TESTS), os.environ.get("PYTHONPATH", "")]),
    }
    process = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", str(tmp_path)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    output = process.stdout + process.stderr
    assert process.returncode == 1, output
    assert "1 passed" in output
    assert "lint error in a statement Neo4j ran" in output
    assert "MATCH (a:Account) RETURN b" in output
    assert "refused by Neo4j too (RuntimeError): MATCH (a:Account RETURN a" in output
    record = json.loads(
        (tmp_path / ".pytest_cache" / "d" / "cypher-recorder" / "statements.json").read_text()
    )
    assert [entry["calls"] for entry in record] == [1, 1, 2]
    assert record[2]["parameters"] == {"id": "1"} and record[2]["diagnostics"] == []
