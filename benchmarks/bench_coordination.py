"""Co-retweet against QUT's coordination-network-toolkit on the same input, then clusters, on both
engines, in one run.

Figures (issue 10), on one synthetic release and one machine, in this order:

1. the toolkit end to end, each step as its own command-line process (``compute_networks``):
   ``preprocess --format csv`` of the release's rows into its SQLite database, then
   ``compute co_retweet``;
2. infoops end to end on Ladybug and on Neo4j: ``compute_network`` reads the events from the
   graph, computes the network and stores its COORDINATED_WITH edges, into a graph without
   them (the toolkit computes into a fresh database; the last run's edges are deleted before
   each run, not timed); the median of --runs runs after one warm-up run (printed apart), as
   the ratio toolkit / infoops (target: 5x or more), and the same edges and weights as the
   toolkit on both engines (checked: the run stops if they differ); then one run over the
   stored edges, which deletes them before writing (printed apart);
3. clusters (pull the amplification graph, Leiden, k-core, roles, write back) on the same graph,
   on both engines: one run, each step's seconds.

    .venv/bin/python benchmarks/bench_coordination.py                  # 1,000,000 tweets
    .venv/bin/python benchmarks/bench_coordination.py --tweets 100000 --accounts 2000
    .venv/bin/python benchmarks/bench_coordination.py --window 300 --min-weight 3

Same input: the toolkit's CSV is written from the release's files (not from the graph), with the
times infoops uses (the snowflake time where it agrees with tweet_time to the minute, in
milliseconds; the toolkit's window is ``window * 1000``). Writing that CSV is not timed for
either side, nor is infoops' load of the release (the graph is loaded once and every analysis
reads it, as the toolkit's database is preprocessed once for every network); the toolkit's
compute alone is printed too. The toolkit's network is read from its SQLite table the way its
own export reads it (loops dropped).

infoops runs in a child process per engine (the figures are its own ``compute_network`` timings;
the child's wall time, with Python's start and the imports, is printed apart). Neo4j's graph is
the Ladybug graph exported and bulk-imported with neo4j-admin (``scripts/neo4j-server.sh
import``), in a temporary HOME, started with --heap and --pagecache and stopped at the end.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).parents[1] / "tests"))  # the toolkit's input, as tested

from common import machine, neo4j_server, stop_neo4j, synthetic_release
from infoops.engines import EngineSettings, open_engine
from infoops.loaders.twitter_io import load_twitter
from infoops.transfer.neo4j_import import write_neo4j_import
from toolkit_input import toolkit_rows, write_toolkit_csv

ROOT = Path(__file__).parents[1]
TOOLKIT = Path(sys.executable).with_name("compute_networks")
TARGET = 5.0
METHOD = "co-retweet"

CHILD = """
import json, os, sys, time
import pyarrow.parquet as pq
from infoops.analysis.clusters import ClusterSettings
from infoops.analysis.clusters import run as cluster_run
from infoops.analysis.coordination import network
from infoops.analysis.coordination.store import replace_edges, stored_edges
from infoops.engines import EngineSettings, open_engine

settings = EngineSettings(**{settings!r})
steps = {{}}
server_pid = {server_pid!r}


def server_cpu():
    # The Neo4j server's CPU seconds (its /proc stat: utime + stime); 0 for Ladybug.
    if server_pid is None:
        return 0.0
    with open(f"/proc/{{server_pid}}/stat") as fh:
        fields = fh.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def cpu():
    # This process's CPU seconds, plus the Neo4j server's.
    return time.process_time() + server_cpu()



def timed(module, name, key):
    # The step's own seconds, summed over a run: what each part of a run costs.
    inner = getattr(module, name)

    def wrapper(*args, **kwargs):
        began = time.perf_counter()
        try:
            return inner(*args, **kwargs)
        finally:
            steps[key] = steps.get(key, 0.0) + time.perf_counter() - began

    setattr(module, name, wrapper)


for name, key in (
    ("read_events", "read"),
    ("compute_edges", "compute"),
    ("replace_edges", "store"),
):
    timed(network, name, key)
for name, key in (
    ("build_account_graph", "pull"),
    ("detect_communities", "leiden"),
    ("kcore_numbers", "kcore"),
    ("assign_roles", "roles"),
    ("store_account_clusters", "write back"),
):
    timed(cluster_run, name, key)

runs = []
with open_engine(settings) as engine:
    # One warm-up run, as the query benchmarks do (a server just started has cold caches and
    # an unwarmed JIT); its time is reported apart.
    first = network.compute_network(engine, {method!r}, {window}, {min_weight}).seconds
    for _ in range({runs}):
        # Each compared run computes the network into a graph without it, as the toolkit's
        # compute writes into a fresh database: the last run's edges go first, not timed.
        none = stored_edges(engine, {method!r}, {window}).slice(0, 0)
        replace_edges(engine, {method!r}, {window}, none)
        steps.clear()
        began_cpu, began_server = cpu(), server_cpu()
        run = network.compute_network(engine, {method!r}, {window}, {min_weight})
        runs.append({{"seconds": run.seconds, "cpu_s": cpu() - began_cpu,
                      "server_cpu_s": server_cpu() - began_server,
                      "events": run.events, "written": run.written,
                      **{{k: steps[k] for k in ("read", "compute", "store")}}}})
    # Run again over the stored edges: the store deletes them and writes the new ones.
    steps.clear()
    rerun = network.compute_network(engine, {method!r}, {window}, {min_weight}).seconds
    rerun_store = steps["store"]
    pq.write_table(stored_edges(engine, {method!r}, {window}), {edges_out!r})
    steps.clear()
    began = time.perf_counter()
    clusters = cluster_run.compute_clusters(engine, ClusterSettings())
    cluster_seconds = time.perf_counter() - began
print(json.dumps({{
    "first_run_s": first,
    "runs": runs,
    "rerun_s": rerun,
    "rerun_store_s": rerun_store,
    "clusters": {{"seconds": cluster_seconds, "steps": dict(steps), "accounts": clusters.accounts,
                  "edges": clusters.edges, "clusters": clusters.clusters,
                  "clustered": clusters.clustered_accounts, "roles": clusters.roles}},
}}))
"""


# -- the toolkit ---------------------------------------------------------------------------------


def toolkit(*args: str | Path) -> tuple[float, float]:
    """One toolkit command in a process of its own; its wall time and CPU seconds (its own and
    its worker processes')."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(
        [str(TOOLKIT), *map(str, args)], capture_output=True, text=True, check=False
    )
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        sys.exit(f"compute_networks {args[1]} failed: {done.stderr.strip()[-2000:]}")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return seconds, (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)


def toolkit_edges(db: Path) -> dict[tuple[str, str], int]:
    """The toolkit's co_retweet network as its own export reads it: its table less loops."""
    with sqlite3.connect(db) as conn:
        rows = conn.execute(
            "SELECT user_1, user_2, weight FROM co_retweet_network WHERE user_1 != user_2"
        ).fetchall()
    return {(str(a), str(b)): int(w) for a, b, w in rows}


# -- the graphs and infoops ----------------------------------------------------------------------


def infoops_child(
    settings: dict[str, str], args: argparse.Namespace, edges_out: Path, server_pid: int | None
) -> dict[str, object]:
    code = CHILD.format(
        settings=settings,
        server_pid=server_pid,
        runs=args.runs,
        method=METHOD,
        window=args.window,
        min_weight=args.min_weight,
        edges_out=str(edges_out),
    )
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, cwd=ROOT
    )
    wall = time.perf_counter() - started
    if done.returncode != 0:
        sys.exit(f"the infoops run failed: {done.stderr.strip()[-3000:]}")
    figures: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    figures["child_wall_s"] = wall
    return figures


def stored(path: Path) -> dict[tuple[str, str], int]:
    import pyarrow.parquet as pq

    table = pq.read_table(path)
    return {
        (str(a), str(b)): int(w)
        for a, b, w in zip(
            table.column("src").to_pylist(),
            table.column("dst").to_pylist(),
            table.column("weight").to_pylist(),
            strict=True,
        )
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tweets", type=int, default=1_000_000)
    parser.add_argument("--accounts", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=2020)
    parser.add_argument("--window", type=int, default=60, help="seconds (default 60)")
    parser.add_argument("--min-weight", type=int, default=2, help="default 2")
    parser.add_argument(
        "--runs",
        type=int,
        default=3,
        help="infoops runs per engine after one warm-up run (the median is compared)",
    )
    parser.add_argument("--heap", default="3g", help="the Neo4j server's heap")
    parser.add_argument("--pagecache", default="2g", help="the Neo4j server's page cache")
    parser.add_argument("--json", type=Path, help="also write every figure here")
    args = parser.parse_args()

    data = synthetic_release(args.tweets, args.accounts, args.seed)
    work = Path(tempfile.mkdtemp(prefix="infoops-bench-coordination-"))
    home = work / "neo4j"
    memory = {"heap": args.heap, "pagecache": args.pagecache}
    figures: dict[str, object] = {
        "machine": machine(),
        "release": str(data),
        "tweets": args.tweets,
        "accounts": args.accounts,
        "window_s": args.window,
        "min_weight": args.min_weight,
    }
    try:
        log(f"toolkit: writing its CSV from {data} (not timed) ...")
        csv_path = work / "toolkit.csv"
        figures["csv_rows"] = write_toolkit_csv(toolkit_rows(data), csv_path)
        log("toolkit: preprocess ...")
        tk_db = work / "toolkit.db"
        preprocess_s, preprocess_cpu = toolkit(tk_db, "preprocess", "--format", "csv", csv_path)
        log("toolkit: compute co_retweet ...")
        compute_s, compute_cpu = toolkit(
            tk_db,
            "compute",
            "co_retweet",
            "--time_window",
            str(args.window * 1000),  # the CSV's times are milliseconds
            "--min_edge_weight",
            str(args.min_weight),
            "--n_cpus",
            str(os.cpu_count() or 1),
        )
        theirs = toolkit_edges(tk_db)
        figures |= {
            "toolkit_preprocess_s": preprocess_s,
            "toolkit_compute_s": compute_s,
            "toolkit_cpu_s": preprocess_cpu + compute_cpu,
            "load_average_at_start": os.getloadavg()[0],
        }

        log("loading the release into Ladybug (not timed) ...")
        db = work / "ladybug.db"
        with open_engine(EngineSettings(db=db)) as engine:
            report = load_twitter(engine, [data], "bench", quarantine_path=work / "q.csv")
        if not report.reconciles:
            sys.exit("the load did not reconcile")
        log("the same graph into Neo4j: export + neo4j-admin import (not timed) ...")
        with open_engine(EngineSettings(db=db), read_only=True) as engine:
            write_neo4j_import(engine, work / "export")
        imported = neo4j_server("import", work / "export", home, **memory)
        neo4j = {
            "neo4j_uri": imported.neo4j_uri,
            "neo4j_user": imported.neo4j_user,
            "neo4j_password": imported.neo4j_password,
        }  # for the child's EngineSettings(**...)
        with open_engine(imported) as engine:  # writable once: the indexes
            engine.run("CALL db.awaitIndexes(300)")
        shutil.rmtree(work / "export", ignore_errors=True)

        results = {}
        server_pid = int((home / "neo4j.pid").read_text().strip())
        for name, settings, pid in (
            ("Ladybug", {"db": str(db)}, None),
            ("Neo4j", neo4j, server_pid),
        ):
            log(f"infoops on {name}: {args.runs} co-retweet runs, then clusters ...")
            edges_out = work / f"{name}.parquet"
            results[name] = infoops_child(settings, args, edges_out, pid)
            results[name]["same_as_toolkit"] = compare(name, stored(edges_out), theirs)
    finally:
        stop_neo4j(home)
    shutil.rmtree(work, ignore_errors=True)

    figures |= {
        "toolkit_edges": len(theirs),
        "infoops": results,
        "load_average_at_end": os.getloadavg()[0],
    }
    report_figures(figures)
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2, default=str))


def compare(
    engine: str, ours: dict[tuple[str, str], int], theirs: dict[tuple[str, str], int]
) -> str:
    if not theirs:
        sys.exit("the toolkit found no edge: the comparison would prove nothing")
    if ours != theirs:
        differing = sorted(set(ours.items()) ^ set(theirs.items()))[:6]
        sys.exit(
            f"{engine}: {len(ours)} edges stored, {len(theirs)} in the toolkit; "
            f"differing: {differing}"
        )
    return f"identical: {len(ours):,} edges, every weight equal"


def log(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def report_figures(f: dict[str, object]) -> None:
    preprocess = float(f["toolkit_preprocess_s"])  # type: ignore[arg-type]
    compute = float(f["toolkit_compute_s"])  # type: ignore[arg-type]
    toolkit_s = preprocess + compute
    results: dict[str, dict[str, object]] = f["infoops"]  # type: ignore[assignment]
    print(f"\n{machine()}")
    print(
        f"input: {f['release']} ({f['csv_rows']:,} tweets, {f['accounts']:,} accounts); "
        f"co-retweet, window {f['window_s']} s, min weight {f['min_weight']}"
    )
    print("not timed: writing the toolkit's CSV, loading the release into the graph\n")
    print("| co-retweet | seconds | toolkit / this | target |")
    print("|---|--:|--:|--:|")
    print(f"| toolkit: preprocess (CLI) | {preprocess:.1f} | | |")
    print(f"| toolkit: compute co_retweet (CLI) | {compute:.1f} | | |")
    print(f"| toolkit end to end | {toolkit_s:.1f} | 1.0x | |")
    verdicts = []
    for name, r in results.items():
        runs: list[dict[str, float]] = r["runs"]  # type: ignore[assignment]
        median = statistics.median(run["seconds"] for run in runs)
        best = min(runs, key=lambda run: abs(run["seconds"] - median))
        ratio = toolkit_s / median
        verdict = "PASS" if ratio >= TARGET else "FAIL"
        verdicts.append(f"{name} {ratio:.1f}x {verdict}")
        print(
            f"| infoops on {name} end to end (read {best['read']:.2f} + compute "
            f"{best['compute']:.2f} + store {best['store']:.2f}), median of {len(runs)} "
            f"| {median:.2f} | {ratio:.1f}x | {TARGET:.0f}x {verdict} |"
        )
    print()
    for name, r in results.items():
        runs = r["runs"]  # type: ignore[assignment]
        every = ", ".join(f"{run['seconds']:.2f}" for run in runs)
        print(
            f"infoops on {name}: warm-up run {float(r['first_run_s']):.2f} s (not compared), "  # type: ignore[arg-type]
            f"runs {every} s; {runs[0]['events']:,} events, "
            f"{runs[0]['written']:,} edges written; toolkit compute alone / infoops = "
            f"{compute / statistics.median(run['seconds'] for run in runs):.1f}x; the child "
            f"process's wall time (start, imports, {len(runs)} runs, clusters) "
            f"{float(r['child_wall_s']):.1f} s"  # type: ignore[arg-type]
        )
        rerun = float(r["rerun_s"])  # type: ignore[arg-type]
        print(
            f"  run again over its stored edges (deleting them first): {rerun:.2f} s, of which "
            f"store {float(r['rerun_store_s']):.2f} s; toolkit / that = {toolkit_s / rerun:.1f}x"  # type: ignore[arg-type]
        )
        print(f"  edges vs the toolkit's: {r['same_as_toolkit']}")
    print(f"\nco-retweet: {'; '.join(verdicts)}")
    toolkit_cpu = float(f["toolkit_cpu_s"])  # type: ignore[arg-type]
    cpu_ratios = []
    for name, r in results.items():
        runs = r["runs"]  # type: ignore[assignment]
        infoops_cpu = statistics.median(run["cpu_s"] for run in runs)
        server = statistics.median(run["server_cpu_s"] for run in runs)
        of_server = f", of which the server's {server:.1f} s" if server else ""
        cpu_ratios.append(
            f"{name} {infoops_cpu:.1f} s ({toolkit_cpu / infoops_cpu:.1f}x{of_server})"
        )
    print(
        f"CPU seconds (less sensitive to other work on the machine; Neo4j's include the "
        f"server's): toolkit {toolkit_cpu:.1f} s; infoops, median run: {'; '.join(cpu_ratios)}"
    )
    print(
        f"1-minute load average: {float(f['load_average_at_start']):.1f} at the start, "  # type: ignore[arg-type]
        f"{float(f['load_average_at_end']):.1f} at the end, on {os.cpu_count()} cores"  # type: ignore[arg-type]
    )

    print("\nclusters (ClusterSettings(): amplification graph, Leiden), same graph\n")
    steps = ["pull", "leiden", "kcore", "roles", "write back"]
    print(f"| engine | total s | {' | '.join(steps)} | accounts | ties | clusters | roles |")
    print(f"|---|--:|{'--:|' * len(steps)}--:|--:|--:|---|")
    for name, r in results.items():
        c: dict[str, object] = r["clusters"]  # type: ignore[assignment]
        split: dict[str, float] = c["steps"]  # type: ignore[assignment]
        roles = ", ".join(f"{k} {v:,}" for k, v in sorted(c["roles"].items()))  # type: ignore[attr-defined]
        print(
            f"| {name} | {float(c['seconds']):.2f} | "  # type: ignore[arg-type]
            f"{' | '.join(f'{split.get(s, 0.0):.2f}' for s in steps)} | "
            f"{c['accounts']:,} | {c['edges']:,} | {c['clusters']:,} | {roles} |"
        )


if __name__ == "__main__":
    main()
