"""The two engines side by side on one synthetic release, in one run: loading and queries.

Figures (issue 7), all on the same files and the same machine, in this order:

1. embedded load: ``load_twitter`` into a fresh Ladybug database (the floor);
2. Neo4j load through the driver: the same loader into an empty Neo4j 5.26 server
   (target: within 5x of 1);
3. export + bulk import: ``write_neo4j_import`` from the embedded graph, then neo4j-admin's
   ``database import full`` into a fresh database, as ``scripts/neo4j-server.sh import`` runs it
   (target: within 1.5x of 1); the server's start after the import is timed apart;
4. the p50 of every canned query on both engines, on the same graph (Neo4j's from step 3).

    .venv/bin/python benchmarks/bench_neo4j.py                  # 1,000,000 tweets
    .venv/bin/python benchmarks/bench_neo4j.py --tweets 100000 --accounts 2000 --runs 5

Two Neo4j servers are started from the project's own script, each in a temporary HOME, with
--heap and --pagecache, and stopped at the end. Needs Java 17 and Maven (scripts/setup.sh).
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from bench_queries import DISCLOSURE, Timing, time_queries
from common import machine, neo4j_server, stop_neo4j, synthetic_release
from infoops.engines import EngineSettings, GraphEngine, open_engine
from infoops.engines.cypher import count_nodes_cypher, count_rels_cypher
from infoops.graph_model import NODES, RELS
from infoops.loaders.twitter_io import load_twitter
from infoops.transfer.neo4j_import import write_neo4j_import

ROOT = Path(__file__).parents[1]


def set_clusters(engine: GraphEngine, data: Path) -> None:
    """Clusters from the planted truth, as bench_queries does, so cluster queries have work."""
    truth = json.loads(next(data.glob("*_truth.json")).read_text(encoding="utf-8"))
    rows = [
        {"userid": userid, "cluster": info["cluster"]}
        for userid, info in truth["accounts"].items()
        if info["cluster"] is not None
    ]
    with engine.transaction():
        engine.run(
            "UNWIND $rows AS r MATCH (a:Account {userid: r.userid}) SET a.cluster = r.cluster",
            {"rows": rows},
        )


def timed_load(engine: GraphEngine, data: Path, work: Path) -> tuple[float, int]:
    started = time.perf_counter()
    report = load_twitter(engine, [data], DISCLOSURE, quarantine_path=work / "quarantine.csv")
    seconds = time.perf_counter() - started
    if not report.reconciles:
        sys.exit("the load did not reconcile")
    return seconds, report.total("loaded")


def counts(engine: GraphEngine) -> dict[str, int]:
    found = {n.label: engine.count(count_nodes_cypher(n.label)) for n in NODES}
    return found | {rel.type: engine.count(count_rels_cypher(rel.type)) for rel in RELS}


def importer_seconds(log: str) -> float | None:
    """neo4j-admin's own figure, ``IMPORT DONE in 1m 2s 345ms.``: the import without the JVM's
    start, the script's stop of a running server, and the server start after it."""
    done = re.search(r"IMPORT DONE in ([^.\n]+)", log)
    if not done:
        return None
    units = {"d": 86400.0, "h": 3600.0, "m": 60.0, "s": 1.0, "ms": 0.001}
    return sum(
        float(amount) * units[unit]
        for amount, unit in re.findall(r"(\d+)(ms|[dhms])\b", done.group(1))
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tweets", type=int, default=1_000_000)
    parser.add_argument("--accounts", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=2020)
    parser.add_argument("--runs", type=int, default=7, help="timed runs per query")
    parser.add_argument("--heap", default="3g", help="each Neo4j server's heap")
    parser.add_argument("--pagecache", default="2g", help="each Neo4j server's page cache")
    parser.add_argument("--json", type=Path, help="also write every figure here")
    args = parser.parse_args()

    data = synthetic_release(args.tweets, args.accounts, args.seed)
    work = Path(tempfile.mkdtemp(prefix="infoops-bench-neo4j-"))
    driver_home, import_home = work / "neo4j-driver", work / "neo4j-import"
    memory = {"heap": args.heap, "pagecache": args.pagecache}
    figures: dict[str, object] = {"tweets": args.tweets, "accounts": args.accounts}
    try:
        print(f"1. embedded load of {data} ...", file=sys.stderr)
        db = work / "embedded.db"
        with open_engine(EngineSettings(db=db)) as embedded:
            embedded_s, loaded = timed_load(embedded, data, work)
            set_clusters(embedded, data)
            embedded_counts = counts(embedded)
        figures |= {"embedded_load_s": embedded_s, "rows_loaded": loaded}

        print("2. Neo4j load through the driver ...", file=sys.stderr)
        driver_settings = neo4j_server("start", driver_home, **memory)
        with open_engine(driver_settings) as neo4j:
            driver_s, _ = timed_load(neo4j, data, work)
            set_clusters(neo4j, data)
            if counts(neo4j) != embedded_counts:
                sys.exit("the Neo4j load differs from the embedded one")
        stop_neo4j(driver_home)
        figures["driver_load_s"] = driver_s

        print("3. export + neo4j-admin import ...", file=sys.stderr)
        started = time.perf_counter()
        with open_engine(EngineSettings(db=db), read_only=True) as embedded:
            export = write_neo4j_import(embedded, work / "export")
        export_s = time.perf_counter() - started
        started = time.perf_counter()
        neo4j_server("import", work / "export", import_home, **memory)
        import_and_start_s = time.perf_counter() - started
        log = (import_home / "logs" / "import.log").read_text(encoding="utf-8", errors="replace")
        figures |= {
            "export_s": export_s,
            "import_and_start_s": import_and_start_s,
            "import_s": importer_seconds(log),
            "export_rows": sum(export.nodes.values()) + sum(export.relationships.values()),
            "import_log_tail": log.strip().splitlines()[-3:],
        }

        print("4. canned queries on both engines ...", file=sys.stderr)
        imported = neo4j_server(
            "start", import_home, **memory
        )  # already running: prints the address
        with open_engine(imported) as neo4j:  # writable once: the schema's indexes
            if counts(neo4j) != embedded_counts:
                sys.exit("the imported graph differs from the embedded one")
        with open_engine(EngineSettings(db=db), read_only=True) as embedded:
            on_ladybug = time_queries(embedded, args.runs, [])
        with open_engine(imported, read_only=True) as neo4j:
            neo4j.run("CALL db.awaitIndexes(300)")
            on_neo4j = time_queries(neo4j, args.runs, [])
    finally:
        stop_neo4j(driver_home)
        stop_neo4j(import_home)
    shutil.rmtree(work, ignore_errors=True)

    print_loads(figures)
    print_queries(on_ladybug, on_neo4j, args.runs)
    if args.json:
        figures["queries"] = {
            t.query: {"ladybug_p50_ms": t.p50_ms, "neo4j_p50_ms": n.p50_ms}
            for t, n in zip(on_ladybug, on_neo4j, strict=True)
        }
        args.json.write_text(json.dumps(figures, indent=2, default=str))


def print_loads(f: dict[str, object]) -> None:
    embedded = float(f["embedded_load_s"])  # type: ignore[arg-type]
    driver = float(f["driver_load_s"])  # type: ignore[arg-type]
    export_s = float(f["export_s"])  # type: ignore[arg-type]
    imported = float(f["import_and_start_s"])  # type: ignore[arg-type]
    print(f"\n{f['tweets']:,} tweets, {f['accounts']:,} accounts; {machine()}\n")
    print("| path | seconds | vs embedded | target |")
    print("|---|--:|--:|--:|")
    print(f"| embedded load (Ladybug) | {embedded:.1f} | 1.0x | |")
    print(f"| Neo4j load through the driver | {driver:.1f} | {driver / embedded:.1f}x | 5x |")
    importer = f["import_s"]
    if isinstance(importer, float):
        print(
            f"| export + neo4j-admin import | {export_s:.1f} + {importer:.1f} "
            f"| {(export_s + importer) / embedded:.1f}x | 1.5x |"
        )
    print(
        f"| export + `neo4j-server.sh import` (import, then server start) | {export_s:.1f} + "
        f"{imported:.1f} | {(export_s + imported) / embedded:.1f}x | |"
    )


def print_queries(on_ladybug: list[Timing], on_neo4j: list[Timing], runs: int) -> None:
    print(f"\np50 of {runs} runs after one warm-up, ms\n")
    print("| query | Ladybug | Neo4j | Neo4j / Ladybug | rows |")
    print("|---|--:|--:|--:|--:|")
    for lb, n4 in zip(on_ladybug, on_neo4j, strict=True):
        ratio = n4.p50_ms / lb.p50_ms if lb.p50_ms else float("nan")
        print(f"| {lb.query} | {lb.p50_ms:.1f} | {n4.p50_ms:.1f} | {ratio:.1f}x | {lb.rows} |")


if __name__ == "__main__":
    main()
