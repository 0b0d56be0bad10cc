#!/usr/bin/env bash
# Set up everything infoops needs on a fresh machine: a venv with the package and its dev tools,
# the Neo4j Cypher linter (npm), Java 17 + Maven for the Neo4j test server, and Debian's Chromium
# for the browser tests.
# Idempotent: re-running skips what is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e '.[dev]'

if [ "${INFOOPS_SKIP_SYSTEM:-0}" != "1" ]; then
  if [ -f tools/cypher-lint/package.json ] && command -v npm >/dev/null 2>&1; then
    # npm ci: exactly the versions in package-lock.json (about 2 s once cached)
    (cd tools/cypher-lint && npm ci --silent --no-audit --no-fund >/dev/null)
  fi
  # Java 17 and Maven build and run the Neo4j test server (scripts/neo4j-server.sh).
  if ! command -v mvn >/dev/null 2>&1 || ! command -v java >/dev/null 2>&1; then
    if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
      apt-get update -qq >/dev/null
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openjdk-17-jdk-headless maven >/dev/null
    else
      echo "note: Java 17 and Maven are needed for the Neo4j test server" >&2
    fi
  fi
  if ! command -v chromium >/dev/null 2>&1; then
    if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
      apt-get update -qq >/dev/null
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
    else
      echo "note: Debian's chromium is not installed; browser tests will be skipped" >&2
    fi
  fi
fi
