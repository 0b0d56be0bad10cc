"""The whole graph, from either engine, as the CSV files of Neo4j's bulk importer.

``neo4j-admin database import full`` (Neo4j 5.26) builds a database from CSV files far faster than
any transactional load. What ``write_neo4j_import`` writes into OUTDIR::

    nodes/<Label>.header.csv, nodes/<Label>.csv
    relationships/<TYPE>.<From>-<To>.header.csv, relationships/<TYPE>.<From>-<To>.csv
    import.args   the importer's arguments, one a line, paths relative to OUTDIR
    import.sh     runs ``neo4j-admin database import full ... @import.args`` from OUTDIR

One file pair per relationship type *and endpoint pair*, because a header names the id spaces of
both ends (IN_DISCLOSURE has three pairs). Every label is an id space of its own, keyed by the
label's key (``userid:ID(Account)``): the key is stored as the usual string property and
relationships name their ends by it (``:START_ID(Account)``). Property columns are typed from
``infoops.graph_model`` (``followers:long``, ``hashed:boolean``, ``latitude:double``); no
property is a list, so no array delimiter is involved.

Values: pyarrow's CSV writer quotes every string, doubles quotes inside it (RFC 4180, the
importer's default quoting) and writes a null as an empty unquoted field, which the importer
leaves absent, while a quoted ``""`` stays an empty string. Tweet texts and profiles hold line
breaks, so ``--multiline-fields=true`` is passed when any value does. It makes the importer
parse every file on one thread (measured at 1M tweets: 36.6 s against 30.7 s for the same files
with the line breaks blanked). The ``v2`` format, which lists only the multiline files and parses
the rest in parallel, cannot read these files: its chunker guesses row ends by scanning back from
the end of each 4 MiB buffer, and stops with "Weird input data, found CR outside a text cell" at a
line break followed by a quoted cell, which is the start of every row here (the key comes first,
quoted); with a ``:IGNORE`` column of unquoted zeros put first it got further and then split a
row, probably at an empty string (``""``, which it reads as an escaped quote).

Reading is paged by key ranges: the keys of each label are read first, sorted by the engine
(its string order, not Python's, decides what falls between two keys), and cut into ranges of
about ``page_rows`` keys. Each page is ``first <= key <= last``, one statement per label or
relationship pair with the two bounds as parameters (on Neo4j an index seek, on Ladybug a scan
with a filter). Relationships are paged by ranges of their start node's key, as many as their
count needs. What is exported is therefore the nodes whose keys were read, and the relationships
starting at them: export a graph nobody is writing to.
"""

from __future__ import annotations

import math
import re
import shlex
import stat
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv

from infoops.engines.base import GraphEngine, node_table, rel_table
from infoops.engines.cypher import count_rels_cypher
from infoops.errors import Neo4jImportError
from infoops.graph_model import (
    BOOL,
    FLOAT,
    INT,
    NODE_KEYS,
    NODE_SPECS,
    NODES,
    REL_SPECS,
    RELS,
    STRING,
)
from infoops.transfer.options import DEFAULT_DATABASE

PAGE_ROWS = 100_000  # rows read per statement: bounds memory on Neo4j, where rows are Python lists
ARGS_FILE = "import.args"
SCRIPT_FILE = "import.sh"
# Neo4j's rule for database names; it also keeps import.args free of characters picocli's
# @-file reader treats specially (quotes, '#', spaces).
DATABASE_NAME = re.compile(r"[A-Za-z][A-Za-z0-9.-]{2,62}")
IMPORT_TYPES = {STRING: "string", INT: "long", FLOAT: "double", BOOL: "boolean"}
IMPORT_COMMAND = "neo4j-admin database import full --overwrite-destination=true @import.args"

# (what: a label or relationship type with its ends, rows written so far, rows expected)
Progress = Callable[[str, int, int], None]


@dataclass
class Neo4jImportExport:
    """What was written: counts per label and relationship type, and how to import it."""

    outdir: Path
    database: str
    nodes: dict[str, int] = field(default_factory=dict)
    relationships: dict[str, int] = field(default_factory=dict)
    files: list[Path] = field(default_factory=list)  # relative to outdir, header then data
    multiline_files: list[Path] = field(default_factory=list)
    arguments: list[str] = field(default_factory=list)  # import.args without its comments
    seconds: float = 0.0

    @property
    def args_file(self) -> Path:
        return self.outdir / ARGS_FILE

    @property
    def script(self) -> Path:
        return self.outdir / SCRIPT_FILE

    @property
    def command(self) -> str:
        """The shell command that imports the files (into a stopped DBMS; replaces the database)."""
        return f"cd {shlex.quote(str(self.outdir))} && {IMPORT_COMMAND}"


@dataclass(frozen=True)
class KeyRange:
    """Keys ``first <= key <= last`` in the engine's order."""

    first: str
    last: str

    def params(self) -> dict[str, str]:
        return {"first": self.first, "last": self.last}


def write_neo4j_import(
    engine: GraphEngine,
    outdir: str | Path,
    *,
    database: str = DEFAULT_DATABASE,
    page_rows: int = PAGE_ROWS,
    progress: Progress | None = None,
) -> Neo4jImportExport:
    """Write every node and relationship of ``engine`` as import files in ``outdir``.

    ``import.args`` is removed first and written last: an export without it did not finish.
    """
    if not DATABASE_NAME.fullmatch(database):
        raise Neo4jImportError(
            f"{database!r} is not a Neo4j database name (3-63 letters, digits, dots or dashes, "
            "starting with a letter)"
        )
    started = time.perf_counter()
    outdir = Path(outdir)
    (outdir / "nodes").mkdir(parents=True, exist_ok=True)
    (outdir / "relationships").mkdir(parents=True, exist_ok=True)
    (outdir / ARGS_FILE).unlink(missing_ok=True)
    export = Neo4jImportExport(outdir, database)
    report = progress or (lambda what, done, total: None)
    node_files: list[tuple[str, ImportFile]] = []
    rel_files: list[tuple[str, ImportFile]] = []

    sorted_keys = {spec.label: read_sorted_keys(engine, spec.label) for spec in NODES}
    for spec in NODES:
        keys = sorted_keys[spec.label]
        header, schema = node_header(spec.label), node_table(spec.label, {}).schema
        with ImportFile.open(outdir, f"nodes/{spec.label}", header, schema) as file:
            for key_range in key_ranges(keys, math.ceil(len(keys) / page_rows)):
                page = engine.run_table(node_page_cypher(spec.label), key_range.params())
                file.write(node_table(spec.label, _by_name(page, spec.property_names)))
                report(spec.label, file.rows, len(keys))
        export.nodes[spec.label] = file.rows
        node_files.append((spec.label, file))

    for rel in RELS:
        export.relationships[rel.type] = 0
        for src, dst in rel.endpoints:
            what = f"{rel.type} ({src})->({dst})"
            total = engine.count(count_rels_cypher(rel.type, src, dst))
            parts = math.ceil(total / page_rows)
            stem = f"relationships/{rel.type}.{src}-{dst}"
            header, schema = rel_header(rel.type, src, dst), rel_table(rel.type, [], []).schema
            with ImportFile.open(outdir, stem, header, schema) as file:
                for key_range in key_ranges(sorted_keys[src], parts):
                    statement = rel_page_cypher(rel.type, src, dst)
                    page = engine.run_table(statement, key_range.params())
                    file.write(_rel_page(rel.type, page))
                    report(what, file.rows, total)
            export.relationships[rel.type] += file.rows
            rel_files.append((rel.type, file))

    every_file = [file for _, file in (*node_files, *rel_files)]
    export.files = [path for file in every_file for path in (file.header, file.data)]
    export.multiline_files = [file.data for file in every_file if file.multiline]
    export.arguments = import_arguments(node_files, rel_files, export.multiline_files, database)
    write_script(outdir)
    (outdir / ARGS_FILE).write_text(
        ARGS_PREAMBLE + "".join(f"{arg}\n" for arg in export.arguments), encoding="utf-8"
    )
    export.seconds = time.perf_counter() - started
    return export


# -- reading in key ranges ---------------------------------------------------------------------


def sorted_keys_cypher(label: str) -> str:
    key = NODE_KEYS[label]
    return f"MATCH (n:{label}) RETURN n.{key} ORDER BY n.{key}"


def node_page_cypher(label: str) -> str:
    """The label's properties, schema order, for the nodes whose key is in a range."""
    spec = NODE_SPECS[label]
    columns = ", ".join(f"n.{name}" for name in spec.property_names)
    return f"MATCH (n:{label}) WHERE {_in_range(f'n.{spec.key}')} RETURN {columns}"


def rel_page_cypher(rel_type: str, src_label: str, dst_label: str) -> str:
    """Start key, end key and properties of the relationships whose start key is in a range."""
    src_key, dst_key = NODE_KEYS[src_label], NODE_KEYS[dst_label]
    props = "".join(f", r.{name}" for name in REL_SPECS[rel_type].property_names)
    return (
        f"MATCH (a:{src_label})-[r:{rel_type}]->(b:{dst_label}) "
        f"WHERE {_in_range(f'a.{src_key}')} RETURN a.{src_key}, b.{dst_key}{props}"
    )


def _in_range(key: str) -> str:
    # One statement text per label or pair, whatever the range: Ladybug's Python binding keeps
    # every distinct parameterised statement prepared, with the memory of its last run.
    return f"{key} >= $first AND {key} <= $last"


def read_sorted_keys(engine: GraphEngine, label: str) -> pa.Array:
    """Every key of ``label`` in the engine's order (the ranges' boundaries come from here)."""
    column = engine.run_table(sorted_keys_cypher(label)).column(0)
    keys = column.combine_chunks().cast(pa.string())
    if keys.null_count:
        raise Neo4jImportError(
            f"{keys.null_count:,} {label} nodes have no {NODE_KEYS[label]}: the importer needs "
            "an id for every node"
        )
    return keys


def key_ranges(sorted_keys: pa.Array, parts: int) -> list[KeyRange]:
    """At most ``parts`` consecutive ranges holding about as many keys each (none for no keys
    or no parts)."""
    count = len(sorted_keys)
    parts = max(min(parts, count), 0)
    starts = [round(count * i / parts) for i in range(parts)]
    return [
        KeyRange(sorted_keys[start].as_py(), sorted_keys[end - 1].as_py())
        for start, end in pairwise([*starts, count])
    ]


def _by_name(page: pa.Table, names: list[str]) -> dict[str, pa.ChunkedArray]:
    """Columns by position: engines name a returned ``n.userid`` differently."""
    return {name: page.column(index) for index, name in enumerate(names)}


def _rel_page(rel_type: str, page: pa.Table) -> pa.Table:
    names = REL_SPECS[rel_type].property_names
    props = {name: page.column(index + 2) for index, name in enumerate(names)}
    return rel_table(rel_type, page.column(0), page.column(1), props)


# -- writing -----------------------------------------------------------------------------------


def node_header(label: str) -> list[str]:
    spec = NODE_SPECS[label]
    return [
        f"{name}:ID({label})" if name == spec.key else f"{name}:{IMPORT_TYPES[kind]}"
        for name, kind in spec.properties
    ]


def rel_header(rel_type: str, src_label: str, dst_label: str) -> list[str]:
    props = [f"{name}:{IMPORT_TYPES[kind]}" for name, kind in REL_SPECS[rel_type].properties]
    return [f":START_ID({src_label})", f":END_ID({dst_label})", *props]


@dataclass
class ImportFile:
    """One header file and one data file; remembers whether any value spans lines."""

    header: Path  # relative to the export folder
    data: Path
    writer: pa_csv.CSVWriter
    rows: int = 0
    multiline: bool = False

    @classmethod
    @contextmanager
    def open(
        cls, outdir: Path, stem: str, header: list[str], schema: pa.Schema
    ) -> Iterator[ImportFile]:
        header_path, data_path = Path(f"{stem}.header.csv"), Path(f"{stem}.csv")
        (outdir / header_path).write_text(",".join(header) + "\n", encoding="utf-8")
        # The header lives in its own file; an empty data file is valid (a label without nodes).
        options = pa_csv.WriteOptions(include_header=False)
        writer = pa_csv.CSVWriter(outdir / data_path, schema, write_options=options)
        try:
            yield cls(header_path, data_path, writer)
        finally:
            writer.close()

    def write(self, table: pa.Table) -> None:
        if table.num_rows:
            self.writer.write_table(table)
            self.rows += table.num_rows
            self.multiline = self.multiline or _has_line_breaks(table)


def _has_line_breaks(table: pa.Table) -> bool:
    return any(
        pc.any(pc.match_substring_regex(column, r"[\r\n]")).as_py()
        for column in table.columns
        if pa.types.is_string(column.type)
    )


ARGS_PREAMBLE = f"""\
# Arguments of neo4j-admin database import full, written by infoops export neo4j-import.
# Run from this folder: {IMPORT_COMMAND}
# (or: bash scripts/neo4j-server.sh import THIS_FOLDER). Paths are relative to this folder.
# CSV as the importer reads it by default: comma-separated, double-quoted strings with doubled
# inner quotes; an empty unquoted field is a missing property, a quoted empty one an empty string.
# Strict: a duplicate node id or a relationship to a missing node fails the import.
"""


def import_arguments(
    node_files: list[tuple[str, ImportFile]],
    rel_files: list[tuple[str, ImportFile]],
    multiline_files: list[Path],
    database: str,
) -> list[str]:
    arguments = [
        # The database first: --nodes and --relationships take a variable number of values,
        # so a name after them would be read as one more file.
        database,
        "--id-type=string",
        "--strict=true",
        "--skip-duplicate-nodes=false",
        "--skip-bad-relationships=false",
    ]
    if multiline_files:
        arguments.append("--multiline-fields=true")
    arguments += [
        f"--nodes={label}={file.header.as_posix()},{file.data.as_posix()}"
        for label, file in node_files
    ]
    arguments += [
        f"--relationships={rel_type}={file.header.as_posix()},{file.data.as_posix()}"
        for rel_type, file in rel_files
    ]
    return arguments


IMPORT_SCRIPT = f"""\
#!/bin/sh
# Written by infoops export neo4j-import: bulk-imports this folder into Neo4j 5 with the
# arguments in import.args. Stop the DBMS (or the database) first: the database named first in
# import.args is replaced. NEO4J_ADMIN selects the neo4j-admin to run (default: from PATH).
set -e
cd "$(dirname "$0")"
exec "${{NEO4J_ADMIN:-neo4j-admin}}" {IMPORT_COMMAND.removeprefix("neo4j-admin ")}
"""


def write_script(outdir: Path) -> None:
    script = outdir / SCRIPT_FILE
    script.write_text(IMPORT_SCRIPT, encoding="utf-8")
    script.chmod(script.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
