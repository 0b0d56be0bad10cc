#!/usr/bin/env bash
# The whole check, as CI runs it: set-up, lint, type-check, then every test on both engines:
# the embedded Ladybug and a real Neo4j 5 server, started here with scripts/neo4j-server.sh (in a
# HOME of its own, emptied first) and stopped when the tests end, however they end.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
echo "test.sh: set-up done after ${SECONDS} s" >&2
.venv/bin/ruff check src tests benchmarks
.venv/bin/ruff format --check src tests benchmarks
.venv/bin/mypy
echo "test.sh: lint and types done after ${SECONDS} s" >&2

NEO4J_TEST_HOME="${INFOOPS_TEST_NEO4J_HOME:-$PWD/.neo4j-test}"
bash scripts/neo4j-server.sh discard "$NEO4J_TEST_HOME" 2>/dev/null || true
rm -rf "$NEO4J_TEST_HOME"
# Discarded at the end (killed): the next run empties the home before it starts one.
trap 'bash scripts/neo4j-server.sh discard "$NEO4J_TEST_HOME" >/dev/null 2>&1 || true' EXIT
# The tests try wrong passwords on purpose: no lock-out of the test user after three of them.
server_env="$(NEO4J_CONF_EXTRA="dbms.security.auth_max_failed_attempts=0" \
  bash scripts/neo4j-server.sh start "$NEO4J_TEST_HOME")"
# Under test names: the CLI reads NEO4J_URI, and a test of the embedded engine must not find it.
INFOOPS_TEST_NEO4J_URI="$(sed -n 's/^NEO4J_URI=//p' <<<"$server_env")"
INFOOPS_TEST_NEO4J_USERNAME="$(sed -n 's/^NEO4J_USERNAME=//p' <<<"$server_env")"
INFOOPS_TEST_NEO4J_PASSWORD="$(sed -n 's/^NEO4J_PASSWORD=//p' <<<"$server_env")"
export INFOOPS_TEST_NEO4J_URI INFOOPS_TEST_NEO4J_USERNAME INFOOPS_TEST_NEO4J_PASSWORD
export INFOOPS_REQUIRE_NEO4J=1   # a Neo4j test that cannot reach the server fails, never skips
unset NEO4J_URI NEO4J_USERNAME NEO4J_PASSWORD NEO4J_DATABASE
echo "test.sh: Neo4j up after ${SECONDS} s" >&2
.venv/bin/python -m pytest -q --durations=20 "$@"
