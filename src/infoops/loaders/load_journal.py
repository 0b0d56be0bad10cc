"""The journal that makes a staged load safe to interrupt at any point.

The Disclosure node records the staging folder of a load being written (``load_stage``) and how
many of its planned steps are done (``load_step``). Each step commits together with the journal
update, so after a kill -9 exactly the unfinished steps remain; the next load of that disclosure
finishes them from the staged files before doing anything else.
"""

from __future__ import annotations

import contextlib
import shutil
from collections.abc import Callable
from pathlib import Path

from infoops.engines.base import GraphEngine
from infoops.errors import InfoopsError
from infoops.loaders.derived_edges import (
    DERIVATIONS,
    count_derived,
    fits_one_transaction,
    replace_derived,
    replace_derived_in_parts,
)
from infoops.loaders.staging import owner_alive, read_plan, run_step

SOURCE_EDGES = ("RETWEET_OF", "REPLY_TO", "MENTIONS")
JOURNAL_START = "MATCH (d:Disclosure {id: $id}) SET d.load_stage = $stage, d.load_step = 0"
JOURNAL_STEP = "MATCH (d:Disclosure {id: $id}) SET d.load_step = $step"
JOURNAL_END = "MATCH (d:Disclosure {id: $id}) SET d.load_stage = NULL, d.load_step = NULL"
JOURNAL_READ = "MATCH (d:Disclosure {id: $id}) RETURN d.load_stage, d.load_step"
JOURNAL_ALL = "MATCH (d:Disclosure) WHERE d.load_stage IS NOT NULL RETURN d.load_stage"


def statements() -> list[tuple[str, str]]:
    return [
        ("journal:start", JOURNAL_START),
        ("journal:step", JOURNAL_STEP),
        ("journal:end", JOURNAL_END),
        ("journal:read", JOURNAL_READ),
        ("journal:all", JOURNAL_ALL),
    ]


def write_staged(
    engine: GraphEngine,
    disclosure: str,
    folder: Path,
    *,
    first_step: int = 0,
    on_step: Callable[[str], None] = lambda name: None,
) -> tuple[dict[str, int], dict[str, int]]:
    """Run the plan in ``folder`` from ``first_step``, then rebuild the derived account edges.

    Returns (rows written per label / type, derived edges per type).
    """
    plan = read_plan(folder)
    if first_step == 0:
        with engine.transaction():
            engine.run(JOURNAL_START, {"id": disclosure, "stage": str(folder.resolve())})
    written: dict[str, int] = {}
    derived: dict[str, int] = {}
    # One step per staged file, then one that rebuilds the derived edges (one commit, not three:
    # on Ladybug every commit of bulk data is a checkpoint; in parts where the engine cannot hold
    # them in one transaction).
    for index in range(first_step, len(plan) + 1):
        rederive = index == len(plan) and changes_derived_edges(plan)
        # The recount only reads: outside the transaction that writes its result.
        counted = {rel: count_derived(engine, rel, folder) for rel in DERIVATIONS if rederive}
        in_parts = rederive and not fits_one_transaction(engine, counted)
        if in_parts:
            derived = replace_derived_in_parts(engine, counted)
        with engine.transaction():
            if index < len(plan):
                name, count = run_step(engine, folder, plan[index])
                written[name] = written.get(name, 0) + count
            elif rederive:
                name = "derived account edges"
                if not in_parts:
                    derived = {
                        rel: replace_derived(engine, rel, path) for rel, path in counted.items()
                    }
            else:
                name = "derived account edges unchanged"
            engine.run(JOURNAL_STEP, {"id": disclosure, "step": index + 1})
        on_step(name)
    with engine.transaction():
        engine.run(JOURNAL_END, {"id": disclosure})
    shutil.rmtree(folder, ignore_errors=True)
    with contextlib.suppress(OSError):
        folder.parent.rmdir()  # the staging area, when no other load is using it
    return written, derived


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
    write_staged(engine, disclosure, folder, first_step=step, on_step=on_step)
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
