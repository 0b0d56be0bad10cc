"""docker/ for users: the compose file runs the Neo4j release the tests run, and holds no secret.

No Docker engine runs here, so these check the files themselves; the server they describe is
the one every Neo4j test runs against (scripts/neo4j-server.sh, same version from the pom).
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).parents[2]


def _compose() -> dict:  # type: ignore[type-arg]
    return yaml.safe_load((ROOT / "docker" / "docker-compose.yml").read_text(encoding="utf-8"))


def test_compose_pins_the_neo4j_release_of_the_test_server() -> None:
    pom = (ROOT / "tools" / "neo4j-server" / "pom.xml").read_text(encoding="utf-8")
    version = re.search(r"<neo4j.version>([^<]+)</neo4j.version>", pom)
    assert version is not None
    assert _compose()["services"]["neo4j"]["image"] == f"neo4j:{version.group(1)}-community"


def test_compose_keeps_data_in_a_named_volume_and_sets_memory() -> None:
    compose = _compose()
    neo4j = compose["services"]["neo4j"]
    assert "infoops-neo4j-data:/data" in neo4j["volumes"]
    assert "infoops-neo4j-data" in compose["volumes"]
    environment = neo4j["environment"]
    for setting in (
        "NEO4J_server_memory_heap_max__size",
        "NEO4J_server_memory_pagecache_size",
    ):
        assert setting in environment
    assert all(port.startswith("127.0.0.1:") for port in neo4j["ports"])  # not on the network


def test_no_password_in_compose_and_an_example_env_file() -> None:
    text = (ROOT / "docker" / "docker-compose.yml").read_text(encoding="utf-8")
    assert "NEO4J_AUTH:" not in text and "infoops-dev" not in text
    assert _compose()["services"]["neo4j"]["env_file"] == ".env"
    example = (ROOT / "docker" / ".env.example").read_text(encoding="utf-8")
    assert re.search(r"^NEO4J_AUTH=neo4j/\S{8,}$", example, re.MULTILINE)
    assert "docker/.env" in (ROOT / ".gitignore").read_text(encoding="utf-8")
