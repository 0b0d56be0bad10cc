"""Neo4j's own linter over every Cypher string infoops sends to Neo4j.

The Neo4j form of every canned query and every statement of ``engines.catalog`` go through
``tools/cypher-lint/lint.mjs`` (npm ``@neo4j-cypher/language-support``, ``lintCypherQuery``) with
the infoops schema and Neo4j 5's built-in functions: any error fails the test.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from infoops.engines.catalog import neo4j_statements
from infoops.engines.schema import NODES, RELS
from infoops.queries import load_library
from infoops.queries.library import fill_inline, parameter_names

ROOT = Path(__file__).resolve().parents[2]
LINTER = ROOT / "tools" / "cypher-lint"
NODE = shutil.which("node")

pytestmark = [
    pytest.mark.skipif(NODE is None, reason="node is not installed: the Cypher linter needs it"),
    pytest.mark.skipif(
        not (LINTER / "node_modules" / "@neo4j-cypher" / "language-support").is_dir(),
        reason="tools/cypher-lint/node_modules is missing: run scripts/setup.sh "
        "(or npm install in tools/cypher-lint)",
    ),
]


def model_schema() -> dict[str, list[str]]:
    properties = {name for node in NODES for name in node.property_names}
    properties |= {name for rel in RELS for name in rel.property_names}
    return {
        "labels": [node.label for node in NODES],
        "relationshipTypes": [rel.type for rel in RELS],
        "propertyKeys": sorted(properties),
    }


def canned_statements() -> list[dict[str, Any]]:
    """The Neo4j form of every canned query, inline markers filled with their defaults."""
    items = []
    for query in load_library().values():
        inline = {p.name: p.coerce(p.default) for p in query.params if p.inline}
        params = {p.name: p.default if p.default is not None else "" for p in query.params}
        items.append(
            {
                "name": f"query:{query.id}",
                "cypher": fill_inline(query.cypher_for("neo4j"), inline),
                "parameters": {k: v for k, v in params.items() if k not in inline},
            }
        )
    return items


def engine_statements() -> list[dict[str, Any]]:
    return [
        {"name": name, "cypher": cypher, "parameters": dict.fromkeys(parameter_names(cypher), 0)}
        for name, cypher in neo4j_statements()
    ]


def lint(items: list[dict[str, Any]], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    schema = tmp_path / "schema.json"
    schema.write_text(json.dumps(model_schema()), encoding="utf-8")
    assert NODE is not None
    return subprocess.run(
        [NODE, str(LINTER / "lint.mjs"), "--schema", str(schema)],
        input=json.dumps(items),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_every_neo4j_statement_lints_without_errors(tmp_path: Path) -> None:
    canned, engine = canned_statements(), engine_statements()
    assert len(canned) >= 25 and len(engine) >= 20
    process = lint(canned + engine, tmp_path)
    assert process.returncode == 0, process.stdout + process.stderr
    assert f"linted {len(canned) + len(engine)} statements: 0 errors" in process.stdout
    # Warnings are unknown labels, types or properties (typos) and cartesian products:
    # none is acceptable in a canned query.
    canned_warnings = [line for line in process.stdout.splitlines() if line.startswith("query:")]
    assert not canned_warnings, "\n".join(canned_warnings)


def test_the_linter_catches_what_it_must(tmp_path: Path) -> None:
    """The check above could pass vacuously; these statements must each be reported."""
    bad = [
        {"name": "syntax", "cypher": "MATCH (a:Account RETURN a"},
        {"name": "undefined-variable", "cypher": "MATCH (a:Account) RETURN b"},
        {"name": "undeclared-parameter", "cypher": "MATCH (a:Account) RETURN a LIMIT $n"},
        {"name": "ladybug-function", "cypher": "MATCH (a:Account) RETURN label(a)"},
        {
            "name": "ladybug-shortest",
            "cypher": "MATCH p=(a)-[:AMPLIFIED* SHORTEST 1..3]->(b) RETURN p",
        },
    ]
    process = lint(bad, tmp_path)
    assert process.returncode == 1
    for item in bad:
        assert f"{item['name']}:" in process.stdout, process.stdout
    typo = lint([{"name": "typo", "cypher": "MATCH (a:Acount) RETURN a.screenname"}], tmp_path)
    assert typo.returncode == 0 and typo.stdout.count("typo:") == 2  # two warnings
