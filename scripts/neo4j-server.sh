#!/usr/bin/env bash
# A real Neo4j 5.26 Community server from Maven Central's jars, for development and CI (no Docker).
#
#   scripts/neo4j-server.sh start  [HOME]   build once, start, wait for `RETURN 1`, print NEO4J_* lines
#   scripts/neo4j-server.sh stop   [HOME]   clean shutdown (SIGTERM), waits until the process is gone
#   scripts/neo4j-server.sh discard [HOME]  SIGKILL, for a home about to be deleted (a test's):
#                                           a clean shutdown checkpoints first, 10-12 s for nothing
#   scripts/neo4j-server.sh status [HOME]   running or not, and where
#   scripts/neo4j-server.sh import EXPORT_DIR [HOME]
#                                           neo4j-admin's bulk importer on the files written by
#                                           `infoops export neo4j-import EXPORT_DIR`, into a fresh
#                                           database in HOME; then start as `start` does
#
# HOME defaults to .neo4j/ in the project. It holds conf/neo4j.conf, the generated password (mode
# 600), data/ (kept across restarts), logs/ and the process id. The server listens on 127.0.0.1 only,
# at a free port, Bolt only (no HTTP listener), with authentication on.
#
#   eval "$(scripts/neo4j-server.sh start)"     # exports NEO4J_URI, NEO4J_USERNAME, NEO4J_PASSWORD
#
# Memory (set explicitly: Neo4j's default page cache is half the machine's RAM):
#   NEO4J_HEAP (default 2g) and NEO4J_PAGECACHE (default 1g); NEO4J_START_TIMEOUT (default 120 s);
#   NEO4J_CONF_EXTRA: more neo4j.conf lines.
#   NEO4J_IMPORT_MEMORY: the importer's --max-off-heap-memory (unset: its own default, 90% of RAM).
set -euo pipefail

PROJECT="$(cd "$(dirname "$0")/.." && pwd)"
TOOL="$PROJECT/tools/neo4j-server"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
HEAP="${NEO4J_HEAP:-2g}"
PAGECACHE="${NEO4J_PAGECACHE:-1g}"
START_TIMEOUT="${NEO4J_START_TIMEOUT:-120}"
IMPORT_MEMORY="${NEO4J_IMPORT_MEMORY:-}"
# What Neo4j's own neo4j.conf passes to the JVM (server.jvm.additional), less diagnostics.
JVM_FLAGS=(
  -XX:+UseG1GC -XX:-OmitStackTraceInFastThrow -XX:+DisableExplicitGC
  -Djdk.nio.maxCachedBufferSize=1024 -Dio.netty.tryReflectionSetAccessible=true
  --add-opens=java.base/java.nio=ALL-UNNAMED
  --add-opens=java.base/java.io=ALL-UNNAMED
  --add-opens=java.base/sun.nio.ch=ALL-UNNAMED
  -Dlog4j2.disable.jmx=true -Dfile.encoding=UTF-8
)

die() { echo "neo4j-server: $*" >&2; exit 1; }

home_dir() {
  local home="${1:-$PROJECT/.neo4j}"
  mkdir -p "$home"
  (cd "$home" && pwd)
}

build() {
  # Built once; Maven keeps the jars in ~/.m2. Rebuilt when the pom or the launcher changes.
  local jar="$TOOL/target/neo4j-server.jar"
  if [ -f "$jar" ] && [ -d "$TOOL/target/lib" ] \
     && [ -z "$(find "$TOOL/pom.xml" "$TOOL/src" -newer "$jar" -type f 2>/dev/null)" ]; then
    return
  fi
  command -v mvn >/dev/null 2>&1 || die "Maven (mvn) is not installed: apt-get install maven"
  (cd "$TOOL" && mvn -B -q -Dstyle.color=never package -DskipTests) >&2 || die "the Maven build of $TOOL failed"
}

classpath() { echo "$TOOL/target/neo4j-server.jar:$TOOL/target/lib/*"; }

pid_of() {
  local home="$1" pid
  [ -f "$home/neo4j.pid" ] || return 1
  pid="$(cat "$home/neo4j.pid")"
  kill -0 "$pid" 2>/dev/null || return 1
  # Only our own launcher: a stale pid file may name an unrelated process by now.
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q "org.infoops.neo4jserver.Launcher" || return 1
  echo "$pid"
}

# The generated password, made once per HOME and readable by its owner only.
ensure_password() {
  local home="$1"
  if [ ! -s "$home/password" ]; then
    (umask 077 && python3 -c 'import secrets; print(secrets.token_urlsafe(24))' >"$home/password")
  fi
  chmod 600 "$home/password"
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

write_conf() {
  local home="$1" port="$2"
  mkdir -p "$home/conf"
  cat >"$home/conf/neo4j.conf" <<EOF
# Written by scripts/neo4j-server.sh; rewritten at every start.
server.directories.data=$home/data
server.directories.logs=$home/logs
server.directories.import=$home/import
server.bolt.enabled=true
server.bolt.listen_address=127.0.0.1:$port
server.bolt.advertised_address=127.0.0.1:$port
server.http.enabled=false
server.https.enabled=false
dbms.security.auth_enabled=true
dbms.usage_report.enabled=false
# Heap is the JVM's -Xmx ($HEAP); the page cache caches the store files.
server.memory.pagecache.size=$PAGECACHE
# Keep only a little transaction log: this server holds test and investigation data, not backups.
db.tx_log.rotation.retention_policy=2 files
EOF
  # Extra settings, one per line (the test run allows repeated wrong logins: its tests make them).
  if [ -n "${NEO4J_CONF_EXTRA:-}" ]; then printf '%s\n' "$NEO4J_CONF_EXTRA" >>"$home/conf/neo4j.conf"; fi
}

print_env() {
  local home="$1"
  echo "NEO4J_URI=bolt://127.0.0.1:$(cat "$home/port")"
  echo "NEO4J_USERNAME=neo4j"
  echo "NEO4J_PASSWORD=$(cat "$home/password")"
}

# A Bolt round trip with the project's driver: the server is up when `RETURN 1` answers.
bolt_ping() {
  local home="$1" python="$PROJECT/.venv/bin/python"
  [ -x "$python" ] || python="python3"
  "$python" - "$(cat "$home/port")" "$home/password" <<'EOF' >/dev/null 2>&1
import sys
from neo4j import GraphDatabase
port, password_file = sys.argv[1], sys.argv[2]
password = open(password_file, encoding="utf-8").read().strip()
with GraphDatabase.driver(f"bolt://127.0.0.1:{port}", auth=("neo4j", password)) as driver:
    driver.execute_query("RETURN 1")
EOF
}

start() {
  local home; home="$(home_dir "${1:-}")"
  if pid_of "$home" >/dev/null; then
    print_env "$home"
    return
  fi
  command -v "$JAVA" >/dev/null 2>&1 || die "Java 17+ is needed (java not found)"
  build
  ensure_password "$home"
  local port; port="$(free_port)"
  echo "$port" >"$home/port"
  write_conf "$home" "$port"
  mkdir -p "$home/logs"
  rm -f "$home/ready"
  # setsid: the server outlives this script and is not killed by the caller's Ctrl-C.
  setsid "$JAVA" -Xms"$HEAP" -Xmx"$HEAP" "${JVM_FLAGS[@]}" -cp "$(classpath)" \
    org.infoops.neo4jserver.Launcher "$home" >"$home/logs/console.log" 2>&1 </dev/null &
  echo $! >"$home/neo4j.pid"
  local waited=0
  until [ -f "$home/ready" ] && bolt_ping "$home"; do
    if ! kill -0 "$(cat "$home/neo4j.pid")" 2>/dev/null; then
      tail -n 20 "$home/logs/console.log" >&2 || true
      die "Neo4j exited during start; see $home/logs/console.log"
    fi
    if [ "$waited" -ge "$((START_TIMEOUT * 2))" ]; then
      stop "$home" >/dev/null 2>&1 || true
      die "Neo4j did not answer RETURN 1 within ${START_TIMEOUT}s; see $home/logs/console.log"
    fi
    sleep 0.5
    waited=$((waited + 1))
  done
  print_env "$home"
}

stop() {
  local home; home="$(home_dir "${1:-}")"
  local pid
  if ! pid="$(pid_of "$home")"; then
    rm -f "$home/neo4j.pid" "$home/ready"
    echo "neo4j-server: not running ($home)" >&2
    return 0
  fi
  kill -TERM "$pid"
  # A clean shutdown flushes the page cache and checkpoints; give it time before insisting.
  for _ in $(seq 1 240); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.5
  done
  if kill -0 "$pid" 2>/dev/null; then
    echo "neo4j-server: no clean shutdown after 120 s; killing $pid" >&2
    kill -KILL "$pid" || true
  fi
  rm -f "$home/neo4j.pid" "$home/ready"
  echo "neo4j-server: stopped ($home)" >&2
}

discard() {
  local home; home="$(home_dir "${1:-}")"
  local pid
  if pid="$(pid_of "$home")"; then
    kill -KILL "$pid" 2>/dev/null || true
    for _ in $(seq 1 100); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
  fi
  rm -f "$home/neo4j.pid" "$home/ready"
  echo "neo4j-server: discarded ($home)" >&2
}

status() {
  local home; home="$(home_dir "${1:-}")"
  local pid
  if pid="$(pid_of "$home")"; then
    echo "running: pid $pid, bolt://127.0.0.1:$(cat "$home/port"), home $home"
  else
    echo "not running (home $home)"
    return 3
  fi
}

import_export() {
  local export_dir="${1:-}"
  [ -n "$export_dir" ] || die "usage: $0 import EXPORT_DIR [HOME]"
  [ -f "$export_dir/import.args" ] \
    || die "$export_dir has no import.args: write it with 'infoops export neo4j-import $export_dir'"
  export_dir="$(cd "$export_dir" && pwd)"
  local home; home="$(home_dir "${2:-}")"
  stop "$home" 2>/dev/null || true
  build
  ensure_password "$home"
  write_conf "$home" "$(free_port)"
  mkdir -p "$home/logs"
  # neo4j-admin database import full, from the same jars as the server. import.args holds the
  # arguments (one per line, paths relative to EXPORT_DIR); --overwrite-destination makes the
  # database fresh.
  (cd "$export_dir" && NEO4J_HOME="$home" NEO4J_CONF="$home/conf" \
    "$JAVA" -Xmx"$HEAP" "${JVM_FLAGS[@]}" -cp "$(classpath)" \
      -Dneo4j.home="$home" -Dneo4j.conf="$home/conf" \
      org.neo4j.cli.AdminTool database import full --overwrite-destination=true \
      ${IMPORT_MEMORY:+"--max-off-heap-memory=$IMPORT_MEMORY"} @import.args) \
    >"$home/logs/import.log" 2>&1 || {
      tail -n 30 "$home/logs/import.log" >&2
      die "neo4j-admin database import failed; see $home/logs/import.log"
    }
  start "$home"
}

case "${1:-}" in
  start) start "${2:-}" ;;
  stop) stop "${2:-}" ;;
  discard) discard "${2:-}" ;;
  status) status "${2:-}" ;;
  import) import_export "${2:-}" "${3:-}" ;;
  *) die "usage: $0 start|stop|discard|status [HOME] | import EXPORT_DIR [HOME]" ;;
esac
