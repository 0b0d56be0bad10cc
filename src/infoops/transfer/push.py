"""Copy an embedded Ladybug graph into a Neo4j server (``infoops push``).

Labels first, in schema order, so that every relationship finds both ends; then relationship
types. Each label (and each type and endpoint pair) is read from Ladybug in pages of internal
offsets, as Arrow tables, so memory stays bounded whatever the size; each page is written to
Neo4j in one transaction as ``UNWIND $rows`` of plain lists in schema order (values travel only
as parameters, never inside the Cypher text).

Every page is idempotent, which is what makes a push safe to repeat and to resume after kill -9
without a journal (a journal could go stale; this cannot):

- a label or type the target did not hold at all when the push began is created outright: none
  of its rows can exist yet, and the source's keys are unique;
- otherwise the page first asks the target which of its keys (nodes) or (start, end) pairs
  (relationships) exist, creates the missing ones and rewrites only those that differ, so a
  second push, or the finished part of a killed one, only reads.

What "differ" means when the target already holds a node or relationship (another disclosure, an
earlier push of a source that has grown since):

- nodes take the source's non-null values and keep what the source does not know (a null there:
  e.g. cluster / kcore / role from an analysis run on the target), except that a placeholder
  (``in_disclosure=false``, created because something retweeted or mentioned it) never
  overwrites a record that a disclosure released;
- relationships with properties (the derived AMPLIFIED / REPLIED_TO / MENTIONED and
  COORDINATED_WITH) are set equal to the source's; structural ones carry nothing to update.

The push ends by counting both sides per label and type (``PushReport``): the target must hold at
least what the source holds, and exactly that when it was empty before the push.

One push at a time into a target: two at once could both create the relationships of a type the
target did not hold yet (uniqueness constraints protect only nodes).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from infoops.engines.base import GraphEngine
from infoops.engines.cypher import count_nodes_cypher, count_rels_cypher, update_nodes_cypher
from infoops.errors import ConfigurationError, PushError
from infoops.graph_model import NODE_KEYS, NODE_SPECS, NODES, REL_SPECS, RELS, NodeSpec
from infoops.transfer.options import BATCH_ROWS

# Internal offsets per read from Ladybug (see _pages). 200,000 ran out of Ladybug's 512 MiB
# buffer pool on a 1M-tweet graph after some twenty reads; 50,000 read it in the same time.
READ_ROWS = 50_000
RELEASED = "in_disclosure"  # the flag that tells a released record from a placeholder

Row = tuple[Any, ...]


@dataclass
class PushProgress:
    """Hooks for a progress display; the library itself prints nothing."""

    on_start: Callable[[int], None] = lambda total_rows: None
    on_step: Callable[[str], None] = lambda name: None  # a label or relationship type begins
    on_rows: Callable[[int], None] = lambda count: None


@dataclass
class PushReport:
    """Counts per label and relationship type, in the source and the target."""

    source: dict[str, int]
    target_before: dict[str, int]
    target: dict[str, int] = field(default_factory=dict)  # after the push
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def target_was_empty(self) -> bool:
        return not any(self.target_before.values())

    @property
    def rows(self) -> int:
        """Nodes plus relationships in the source: what the push read and checked."""
        return sum(self.source.values())

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds if self.seconds else 0.0

    def shortfalls(self) -> list[str]:
        """What the count check found wrong, one phrase per label or type.

        A target that already held other data may hold more than the source; one that was empty
        must hold exactly the source's counts.
        """
        problems = []
        for name, wanted in self.source.items():
            held = self.target.get(name, 0)
            if held < wanted:
                problems.append(f"{name}: {held:,} in the target, {wanted:,} in the source")
            elif held > wanted and self.target_was_empty:
                problems.append(
                    f"{name}: {held:,} in the target, which was empty, {wanted:,} in the source"
                )
        return problems

    @property
    def matches(self) -> bool:
        return not self.shortfalls()


# -- Neo4j statements (rows are lists in schema order: key first, or start key, end key) --------
#
# Pages of a label or type the target already holds go through a check first, done by the server:
# it returns only the rows that are missing or differ, so a second push, or the finished part of
# a killed one, moves almost nothing back over the wire (returning every row of a page costs
# several times what the check itself does).


def create_nodes_cypher(label: str) -> str:
    # A null in a CREATE map sets nothing, so absent values stay absent as in the source.
    names = NODE_SPECS[label].property_names
    values = ", ".join(f"{name}: r[{i}]" for i, name in enumerate(names))
    return f"UNWIND $rows AS r CREATE (:{label} {{{values}}})"


def check_nodes_cypher(label: str) -> str:
    """Keys of the page's rows that the target lacks (``missing``) or holds with other values."""
    spec = NODE_SPECS[label]
    # The source's non-null values win; what it does not know (null) is kept.
    differs = " OR ".join(
        f"(r[{i}] IS NOT NULL AND NOT coalesce(n.{name} = r[{i}], false))"
        for i, name in enumerate(spec.property_names)
        if i > 0
    )
    if RELEASED in spec.property_names:
        flag = spec.property_names.index(RELEASED)
        placeholder_over_released = f"coalesce(n.{RELEASED} AND NOT r[{flag}], false)"
        differs = f"(NOT {placeholder_over_released}) AND ({differs})"
    where = f"n IS NULL OR ({differs})" if differs else "n IS NULL"
    return (
        f"UNWIND $rows AS r OPTIONAL MATCH (n:{label} {{{spec.key}: r[0]}}) "
        f"WITH r, n WHERE {where} RETURN r[0] AS key, n IS NULL AS missing"
    )


def create_rels_cypher(rel_type: str, src_label: str, dst_label: str) -> str:
    names = REL_SPECS[rel_type].property_names
    values = ", ".join(f"{name}: r[{i + 2}]" for i, name in enumerate(names))
    return (
        f"UNWIND $rows AS r "
        f"MATCH (a:{src_label} {{{NODE_KEYS[src_label]}: r[0]}}) "
        f"MATCH (b:{dst_label} {{{NODE_KEYS[dst_label]}: r[1]}}) "
        f"CREATE (a)-[:{rel_type}{f' {{{values}}}' if values else ''}]->(b) RETURN count(*)"
    )


def check_rels_cypher(rel_type: str, src_label: str, dst_label: str) -> str:
    """(start, end) of the page's rows that the target lacks or holds with other properties."""
    # Equal to the source, nulls included.
    differs = "".join(
        f" OR NOT coalesce(x.{name} = r[{i + 2}], x.{name} IS NULL AND r[{i + 2}] IS NULL)"
        for i, name in enumerate(REL_SPECS[rel_type].property_names)
    )
    return (
        f"UNWIND $rows AS r "
        f"OPTIONAL MATCH (a:{src_label} {{{NODE_KEYS[src_label]}: r[0]}}) "
        f"OPTIONAL MATCH (b:{dst_label} {{{NODE_KEYS[dst_label]}: r[1]}}) "
        f"OPTIONAL MATCH (a)-[x:{rel_type}]->(b) "
        f"WITH r, x WHERE x IS NULL{differs} RETURN r[0] AS src, r[1] AS dst, x IS NULL AS missing"
    )


def update_rels_cypher(rel_type: str, src_label: str, dst_label: str) -> str:
    # r[2] is a map of every property: replacing them all makes the relationship equal to the
    # source's, a null removing what the source does not have.
    return (
        f"UNWIND $rows AS r "
        f"MATCH (:{src_label} {{{NODE_KEYS[src_label]}: r[0]}})-[x:{rel_type}]->"
        f"(:{dst_label} {{{NODE_KEYS[dst_label]}: r[1]}}) SET x = r[2]"
    )


# -- the push ------------------------------------------------------------------------------------


def push_graph(
    source: GraphEngine,
    target: GraphEngine,
    *,
    batch_rows: int = BATCH_ROWS,
    progress: PushProgress | None = None,
) -> PushReport:
    """Copy every node and relationship of ``source`` (Ladybug) into ``target`` (Neo4j).

    Safe to run again, and to re-run after an interruption: the result is the graph a single
    clean push gives. Check ``report.matches`` (the CLI fails when it is false).
    """
    if source.name != "ladybug" or target.name != "neo4j":
        raise ConfigurationError(
            f"push copies an embedded Ladybug database into Neo4j, not {source.name} into "
            f"{target.name}"
        )
    _refuse_unfinished_loads(source)
    hooks = progress or PushProgress()
    started = time.perf_counter()
    report = PushReport(source=_source_counts(source), target_before=_target_counts(target))
    hooks.on_start(report.rows)
    for spec in NODES:
        hooks.on_step(spec.label)
        fresh = report.target_before[spec.label] == 0
        for rows in _node_pages(source, spec, batch_rows):
            created, updated = _write_nodes(target, spec, rows, fresh)
            _add(report.created, spec.label, created)
            _add(report.updated, spec.label, updated)
            hooks.on_rows(len(rows))
    for rel in RELS:
        hooks.on_step(rel.type)
        fresh = report.target_before[rel.type] == 0
        for src_label, dst_label in rel.endpoints:
            pair = (rel.type, src_label, dst_label)
            for rows in _rel_pages(source, *pair, batch_rows):
                created, updated = _write_rels(target, pair, rows, fresh)
                _add(report.created, rel.type, created)
                _add(report.updated, rel.type, updated)
                hooks.on_rows(len(rows))
    report.target = _target_counts(target)
    report.seconds = time.perf_counter() - started
    return report


def _refuse_unfinished_loads(source: GraphEngine) -> None:
    """A load killed while writing left part of a disclosure and a journal pointing at staged
    files that exist only beside the source: finish it there first."""
    unfinished = [
        row[0]
        for row in source.run(
            "MATCH (d:Disclosure) WHERE d.load_stage IS NOT NULL RETURN d.id"
        ).rows
    ]
    if unfinished:
        raise PushError(
            f"the load of {', '.join(unfinished)} into the source was interrupted and is "
            "unfinished: run the same infoops load again to finish it, then push"
        )


def _source_counts(source: GraphEngine) -> dict[str, int]:
    counts = {spec.label: source.count(count_nodes_cypher(spec.label)) for spec in NODES}
    for rel in RELS:
        counts[rel.type] = sum(
            source.count(count_rels_cypher(rel.type, src, dst)) for src, dst in rel.endpoints
        )
    return counts


def _target_counts(target: GraphEngine) -> dict[str, int]:
    # Neo4j answers both from its counts store, without a scan.
    counts = {spec.label: target.count(count_nodes_cypher(spec.label)) for spec in NODES}
    counts |= {rel.type: target.count(count_rels_cypher(rel.type)) for rel in RELS}
    return counts


def _add(totals: dict[str, int], name: str, count: int) -> None:
    totals[name] = totals.get(name, 0) + count


# -- reading Ladybug: pages of internal offsets ------------------------------------------------


def _pages(
    source: GraphEngine, top_cypher: str, page_cypher: str, size: int
) -> Iterator[list[Row]]:
    """Rows of ``page_cypher`` in pages of at most ``size``, read in ranges of internal offsets
    up to the largest one in use (the query returns it).

    Ladybug does not seek to an offset range: each read scans the table (or expands every edge
    of a small end label: TAGGED into 21 hashtags), so reads span ``READ_ROWS`` offsets, a few
    times fewer scans than one read per page (a 1M-tweet graph reads in about 30 s instead of
    120 s), while memory stays bounded.
    """
    top = source.run(top_cypher).scalar()
    if top is None:  # nothing of this label or type
        return
    span = max(size, READ_ROWS)
    for lo in range(0, int(top) + 1, span):
        table = source.run_table(page_cypher, {"lo": lo, "hi": lo + span})
        for start in range(0, table.num_rows, size):
            page = table.slice(start, size)
            yield list(zip(*(column.to_pylist() for column in page.columns), strict=True))


def _node_pages(source: GraphEngine, spec: NodeSpec, size: int) -> Iterator[list[Row]]:
    label = spec.label
    columns = ", ".join(f"n.{name}" for name in spec.property_names)
    yield from _pages(
        source,
        f"MATCH (n:{label}) RETURN max(offset(id(n)))",
        f"MATCH (n:{label}) WHERE offset(id(n)) >= $lo AND offset(id(n)) < $hi RETURN {columns}",
        size,
    )


def _rel_pages(
    source: GraphEngine, rel_type: str, src_label: str, dst_label: str, size: int
) -> Iterator[list[Row]]:
    # Each endpoint pair of a relationship group has offsets of its own.
    pattern = f"(a:{src_label})-[r:{rel_type}]->(b:{dst_label})"
    columns = "".join(f", r.{name}" for name in REL_SPECS[rel_type].property_names)
    yield from _pages(
        source,
        f"MATCH {pattern} RETURN max(offset(id(r)))",
        f"MATCH {pattern} WHERE offset(id(r)) >= $lo AND offset(id(r)) < $hi "
        f"RETURN a.{NODE_KEYS[src_label]}, b.{NODE_KEYS[dst_label]}{columns}",
        size,
    )


# -- writing Neo4j: one transaction per page -----------------------------------------------------


def _write_nodes(
    target: GraphEngine, spec: NodeSpec, rows: list[Row], fresh: bool
) -> tuple[int, int]:
    """Create the page's missing nodes and update those that differ; (created, updated)."""
    names = spec.property_names
    with target.transaction():
        new, changed = rows, list[Row]()
        if not fresh:
            new, changed = _sorted_out(target, check_nodes_cypher(spec.label), rows, 1)
        if new:
            target.run(create_nodes_cypher(spec.label), {"rows": new})
        if changed:
            updates = [
                {name: value for name, value in zip(names, row, strict=True) if value is not None}
                for row in changed
            ]
            target.run(update_nodes_cypher(spec.label), {"rows": updates})
    return len(new), len(changed)


def _write_rels(
    target: GraphEngine, pair: tuple[str, str, str], rows: list[Row], fresh: bool
) -> tuple[int, int]:
    """Create the page's missing relationships, set those whose properties differ."""
    with target.transaction():
        new, changed = rows, list[Row]()
        if not fresh:
            new, changed = _sorted_out(target, check_rels_cypher(*pair), rows, 2)
        created = target.count(create_rels_cypher(*pair), {"rows": new}) if new else 0
        if created != len(new):
            raise PushError(
                f"{len(new) - created:,} of {len(new):,} {pair[0]} relationships from "
                f"{pair[1]} to {pair[2]} found no end node in the target"
            )
        if changed:
            names = REL_SPECS[pair[0]].property_names
            updates = [[*row[:2], dict(zip(names, row[2:], strict=True))] for row in changed]
            target.run(update_rels_cypher(*pair), {"rows": updates})
    return len(new), len(changed)


def _sorted_out(
    target: GraphEngine, check: str, rows: list[Row], width: int
) -> tuple[list[Row], list[Row]]:
    """(missing, differing) rows of a page, as the target's check statement finds them; rows are
    known by their first ``width`` values (the key, or start and end keys)."""
    by_id = {row[:width]: row for row in rows}
    missing, differing = list[Row](), list[Row]()
    for found in target.run(check, {"rows": rows}).rows:
        row = by_id[tuple(found[:width])]
        (missing if found[width] else differing).append(row)
    return missing, differing
