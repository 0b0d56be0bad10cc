"""The journal that makes a staged load safe to interrupt at any point.

The Disclosure node records the staging folder of a load being written (``load_stage``, an
absolute path, so a load is resumed from any working folder) and how many of its planned steps
are done (``load_step``). The journal starts in the transaction that creates the Disclosure node,
so a load that fails before writing leaves neither behind. Each step commits together with the
journal update, so after a kill -9 exactly the unfinished steps remain; the next load of that
disclosure finishes them from the staged files before doing anything else.

The next load does not take the journal's word for it: a step can be marked done without its
rows. Ladybug, when a checkpoint fails on a full disk, reports the commit durable, yet after a
restart may hold the journal's update and not the rows committed with it (measured with Ladybug
0.22 on a small tmpfs: "Unable to find primary key value" on every re-run after). So a resumed
load checks every step against the graph and writes the rows it lacks.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from infoops.engines.base import GraphEngine
from infoops.errors import InfoopsError
from infoops.graph_model import NODE_KEYS
from infoops.loaders.derived_edges import (
    DERIVATIONS,
    count_derived,
    derived_part_rows,
    fits_one_transaction,
    merge_derived,
    merged_rows,
    read_delta,
    recounted_rows,
    replace_derived,
    replace_derived_in_parts,
)
from infoops.loaders.memory import release_memory
from infoops.loaders.staging import owner_alive, read_plan, remove_staged, run_step

SOURCE_EDGES = ("RETWEET_OF", "REPLY_TO", "MENTIONS")
JOURNAL_START = "MATCH (d:Disclosure {id: $id}) SET d.load_stage = $stage, d.load_step = 0"
JOURNAL_STEP = "MATCH (d:Disclosure {id: $id}) SET d.load_step = $step"
JOURNAL_END = "MATCH (d:Disclosure {id: $id}) SET d.load_stage = NULL, d.load_step = NULL"
JOURNAL_READ = "MATCH (d:Disclosure {id: $id}) RETURN d.load_stage, d.load_step"
JOURNAL_ALL = "MATCH (d:Disclosure) WHERE d.load_stage IS NOT NULL RETURN d.load_stage"


# Keys sent per query when a step of relationships is checked against the graph.
CHECK_BATCH = 10_000


def statements() -> list[tuple[str, str]]:
    return [
        ("journal:start", JOURNAL_START),
        ("journal:step", JOURNAL_STEP),
        ("journal:end", JOURNAL_END),
        ("journal:read", JOURNAL_READ),
        ("journal:all", JOURNAL_ALL),
    ]


def start_journal(engine: GraphEngine, disclosure: str, folder: Path) -> None:
    """Point the journal at the staged ``folder`` (inside the caller's transaction, the one
    that creates or refreshes the Disclosure node)."""
    engine.run(JOURNAL_START, {"id": disclosure, "stage": str(folder.resolve())})


def write_staged(
    engine: GraphEngine,
    disclosure: str,
    folder: Path,
    *,
    first_step: int = 0,
    verify: bool = False,
    on_step: Callable[[str], None] = lambda name: None,
) -> tuple[dict[str, int], dict[str, int]]:
    """Run the plan in ``folder`` from ``first_step``, then bring the derived account edges up
    to date; the journal was started (``start_journal``).

    ``verify`` (a resumed load): every step, those the journal counts as done too, writes only
    the rows the graph lacks, and the derived edges are recounted.
    Returns (rows written per label / type, derived edges written per type).
    """
    plan = read_plan(folder)
    written: dict[str, int] = {}
    derived: dict[str, int] = {}
    # One transaction per staged file, then the derived edges (in transactions of their own,
    # one per type at least: on Ladybug a transaction's new rows wait in memory for its commit)
    # and the journal's last step.
    for index in range(0 if verify else first_step, len(plan) + 1):
        if index == len(plan):
            name, derived = _write_derived(engine, folder, plan, verify)
            with engine.transaction():
                if index >= first_step:
                    engine.run(JOURNAL_STEP, {"id": disclosure, "step": index + 1})
            on_step(name)
            continue
        # The check only reads: outside the transaction that writes.
        lacking = rows_lacking(engine, folder, plan[index]) if verify else None
        with engine.transaction():
            name, count = run_step(engine, folder, plan[index], lacking)
            written[name] = written.get(name, 0) + count
            if index >= first_step:
                engine.run(JOURNAL_STEP, {"id": disclosure, "step": index + 1})
        on_step(name)
    with engine.transaction():
        engine.run(JOURNAL_END, {"id": disclosure})
    remove_staged(folder)
    return written, derived


def _write_derived(
    engine: GraphEngine, folder: Path, plan: list[dict[str, str]], verify: bool
) -> tuple[str, dict[str, int]]:
    """Bring the derived edges up to date: add the load's delta (derived_edges.py), or, for a
    resumed load or one that changed an author the graph had counted, recount them all.
    Killed half-way, the journal's step is not done, and the next run recounts them all."""
    recount, deltas = read_delta(folder)
    if not changes_derived_edges(plan) or not (verify or recount or deltas):
        return "derived account edges unchanged", {}
    name = "derived account edges"
    if verify or recount:
        # Counted before the transaction that writes: a count reads the whole graph.
        counted = {rel: count_derived(engine, rel, folder) for rel in DERIVATIONS}
        if not fits_one_transaction(engine, recounted_rows(counted)):
            return name, replace_derived_in_parts(engine, counted)
        with engine.transaction():
            return name, {rel: replace_derived(engine, rel, path) for rel, path in counted.items()}
    written = {}
    part_rows = derived_part_rows(engine)
    for rel, path in deltas.items():
        created, update = merged_rows(engine, rel, path, part_rows)
        release_memory()  # what reading and merging left, before the engine writes
        written[rel] = merge_derived(engine, rel, created, update, part_rows)
    return name, written


def changes_derived_edges(plan: list[dict[str, str]]) -> bool:
    """Derived edges depend only on these tweet-level edges and on tweet authors: a load that
    staged none of them (a re-load, a users file) leaves them as they are."""
    return any(
        step.get("type") in SOURCE_EDGES or (step["kind"] == "update" and step["label"] == "Tweet")
        for step in plan
    )


def resume_interrupted(
    engine: GraphEngine, disclosure: str, on_step: Callable[[str], None] = lambda name: None
) -> bool:
    """Finish a load of ``disclosure`` that was killed while writing; True if there was one."""
    rows = engine.run(JOURNAL_READ, {"id": disclosure}).rows
    if not rows or rows[0][0] is None:
        return False
    folder, step = Path(rows[0][0]), int(rows[0][1] or 0)
    if not folder.is_dir():
        raise InfoopsError(
            f"a load of {disclosure} was interrupted while writing and its staging folder "
            f"{folder} is gone; the graph holds part of it. Delete the database (or, on Neo4j, "
            "the disclosure's nodes) and load again"
        )
    write_staged(engine, disclosure, folder, first_step=step, verify=True, on_step=on_step)
    return True


def read_journal_stage(engine: GraphEngine, disclosure: str) -> str | None:
    """The staging folder the journal points at, if a load of ``disclosure`` is being written."""
    rows = engine.run(JOURNAL_READ, {"id": disclosure}).rows
    return rows[0][0] if rows else None


def sweep_abandoned(engine: GraphEngine, area: Path) -> list[Path]:
    """Remove staging folders of loads killed while staging: no journal points at them and the
    process that staged them is gone (a server's staging area may hold other live loads)."""
    if not area.is_dir():
        return []
    wanted = {Path(row[0]) for row in engine.run(JOURNAL_ALL).rows}
    removed = [
        folder
        for folder in area.glob("infoops-stage-*")
        if folder.is_dir() and folder.resolve() not in wanted and not owner_alive(folder)
    ]
    for folder in removed:
        shutil.rmtree(folder, ignore_errors=True)
    return removed


def present_rels_cypher(rel_type: str, src_label: str, dst_label: str) -> str:
    """The ``rel_type`` relationships of the ``src_label`` nodes keyed in ``$keys``, as (src,
    dst) keys. Looked up by one end: matching both ends per row of ``UNWIND $rows`` made Ladybug
    scan the whole type for every batch (minutes for 200k rows, against a second this way)."""
    src_key, dst_key = NODE_KEYS[src_label], NODE_KEYS[dst_label]
    return (
        f"UNWIND $keys AS k MATCH (a:{src_label} {{{src_key}: k}})-[:{rel_type}]->(b:{dst_label}) "
        f"RETURN a.{src_key} AS src, b.{dst_key} AS dst"
    )


def rows_lacking(engine: GraphEngine, folder: Path, step: dict[str, str]) -> pa.Table | None:
    """The rows of a planned step the graph does not hold, or None when it holds none of them
    (the step is written from its file, as planned). Updates are always written again: they
    only set properties, so writing them twice changes nothing."""
    if step["kind"] == "update":
        return None
    table = pq.read_table(folder / step["file"])
    if step["kind"] == "node":
        keys = table.column(NODE_KEYS[step["label"]])
        present = engine.existing_keys(step["label"], keys.to_pylist())
        if not present:
            return None
        return table.filter(
            pc.invert(pc.is_in(keys, value_set=pa.array(list(present), pa.string())))
        )
    statement = present_rels_cypher(step["type"], step["src"], step["dst"])
    sources = pc.unique(table.column("src")).to_pylist()
    found = [
        engine.run_table(statement, {"keys": sources[start : start + CHECK_BATCH]})
        for start in range(0, len(sources), CHECK_BATCH)
    ]
    pairs = [
        pa.table({end: part.column(end).cast(pa.string()) for end in ("src", "dst")})
        for part in found
        if part.num_rows
    ]
    if not pairs:
        return None
    # Staged rows never repeat a pair (a tweet mentions an account once), so a pair in the
    # graph is that row written.
    lacking = table.join(pa.concat_tables(pairs), keys=["src", "dst"], join_type="left anti")
    return lacking.select(table.column_names)
