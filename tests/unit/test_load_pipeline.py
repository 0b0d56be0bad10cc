"""The load pipeline is not Twitter's: a format of its own, defined here, loads through it.

The format is a two-column CSV of accounts (``account,handle``; a second kind of file lists the
same columns the other way round). It supplies only what a source must: recognition by header,
the order of its kinds, a fast and an exact reader, a parser and a writer that stages accounts.
Staging, journal, quarantine, idempotence and the report come from the pipeline.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pytest

from infoops.engines.base import GraphEngine, node_table
from infoops.errors import InputFileError
from infoops.loaders.load_report import LoadReport, ReadCounts
from infoops.loaders.pipeline import load_files
from infoops.loaders.quarantine import Quarantine
from infoops.loaders.source_format import MalformedFile, SourceFormat, SourceKind
from infoops.loaders.sources import InputFile
from infoops.loaders.staging import Stage

DISCLOSURE = "accounts-2024"
HEADERS = {"accounts": ["account", "handle"], "handles": ["handle", "account"]}


@dataclass
class Chunk:
    source: str
    rows: list[tuple[int, list[str]]]  # (physical line, fields)


def recognise(source: InputFile) -> str:
    with source.open_text() as stream:
        header = next(csv.reader(stream), [])
    for kind, expected in HEADERS.items():
        if header == expected:
            return kind
    raise InputFileError(f"{source.name}: not an accounts file (found: {', '.join(header)})")


def _rows(
    source: InputFile,
    counts: ReadCounts,
    chunk_rows: int,
    on_bytes: Callable[[int], None] | None,
    malformed: Callable[[int, list[str]], None],
) -> Iterator[Chunk]:
    with source.open_text(on_bytes) as stream:
        reader = csv.reader(stream)
        next(reader)
        chunk = Chunk(source.name, [])
        for row in reader:
            counts.rows_read += 1
            if len(row) != 2:
                malformed(reader.line_num, row)
                continue
            chunk.rows.append((reader.line_num, row))
            if len(chunk.rows) >= chunk_rows:
                yield chunk
                chunk = Chunk(source.name, [])
        if chunk.rows:
            yield chunk


def read_fast(
    source: InputFile,
    counts: ReadCounts,
    *,
    chunk_rows: int,
    on_bytes: Callable[[int], None] | None = None,
) -> Iterator[Chunk]:
    def give_up(line: int, row: list[str]) -> None:
        raise MalformedFile(f"line {line}")

    return _rows(source, counts, chunk_rows, on_bytes, give_up)


def read_exact(
    source: InputFile,
    quarantine: Quarantine,
    counts: ReadCounts,
    *,
    chunk_rows: int,
    on_bytes: Callable[[int], None] | None = None,
) -> Iterator[Chunk]:
    def reject(line: int, row: list[str]) -> None:
        counts.malformed += 1
        quarantine.reject(source.name, line, f"expected 2 fields, found {len(row)}", row)

    return _rows(source, counts, chunk_rows, on_bytes, reject)


@dataclass
class Accounts:
    table: pa.Table
    rejected: int


@dataclass
class Staged:
    loaded: int
    already_present: int


def parser(kind: str) -> Callable[[Chunk, Quarantine], Accounts]:
    account_at, handle_at = HEADERS[kind].index("account"), HEADERS[kind].index("handle")

    def parse(chunk: Chunk, quarantine: Quarantine) -> Accounts:
        good, rejected = [], 0
        for line, row in chunk.rows:
            account = row[account_at]
            if not account.isdigit():
                quarantine.reject(chunk.source, line, f"account is not a number: {account!r}", row)
                rejected += 1
            else:
                good.append((row[account_at], row[handle_at]))
        table = node_table(
            "Account",
            {
                "userid": [account for account, _ in good],
                "screen_name": [handle for _, handle in good],
                "screen_name_lc": [handle.lower() for _, handle in good],
                "hashed": [False] * len(good),
                "in_disclosure": [True] * len(good),
            },
        )
        return Accounts(table, rejected)

    return parse


class AccountWriter:
    """Stages the accounts that neither the graph nor this load holds yet."""

    def __init__(self, engine: GraphEngine, disclosure: str, stage: Stage) -> None:
        self.engine, self.disclosure, self.stage = engine, disclosure, stage

    def write(self, records: Accounts) -> Staged:
        keys = records.table.column("userid").to_pylist()
        in_graph = self.engine.existing_keys("Account", keys)
        staged = self.stage.keys["Account"].contains(keys)
        new = [key not in in_graph and not held for key, held in zip(keys, staged, strict=True)]
        fresh = records.table.filter(pa.array(new, pa.bool_()))
        self.stage.add_nodes("Account", fresh, "userid")
        self.stage.add_rels(
            "IN_DISCLOSURE",
            "Account",
            "Disclosure",
            fresh.column("userid"),
            [self.disclosure] * fresh.num_rows,
        )
        return Staged(loaded=fresh.num_rows, already_present=len(keys) - fresh.num_rows)


ACCOUNTS = SourceFormat(
    platform="accounts-list",
    recognise=recognise,
    kinds=(
        SourceKind("accounts", parser("accounts"), AccountWriter.write),
        SourceKind("handles", parser("handles"), AccountWriter.write),
    ),
    read_fast=read_fast,
    read_exact=read_exact,
    writer=AccountWriter,
)

# Line 3 fails the parser, line 5 the reader: the fast reader hands the file over at line 5,
# after its first chunk (lines 2 and 3) was staged and line 3 refused.
ACCOUNTS_CSV = "account,handle\n1,alice\nx9,mallory\n2,bob\n3,carol,extra\n4,dave\n"


def load(engine: GraphEngine, tmp_path: Path, *paths: Path) -> LoadReport:
    return load_files(
        engine,
        paths,
        DISCLOSURE,
        ACCOUNTS,
        quarantine_path=tmp_path / "quarantine.csv",
        chunk_rows=2,
        staging_dir=tmp_path / "staging",
    )


def members(engine: GraphEngine) -> list[list[object]]:
    return engine.run(
        "MATCH (a:Account)-[:IN_DISCLOSURE]->(d:Disclosure {id: $id}) "
        "RETURN a.userid, a.screen_name ORDER BY a.userid",
        {"id": DISCLOSURE},
    ).rows


def quarantined(path: Path) -> list[tuple[int, str]]:
    with path.open(encoding="utf-8", newline="") as stream:
        return sorted((int(row["line"]), row["reason"]) for row in csv.DictReader(stream))


def accounts_file(tmp_path: Path) -> Path:
    path = tmp_path / "accounts.csv"
    path.write_text(ACCOUNTS_CSV, encoding="utf-8")
    return path


def test_another_format_is_staged_journaled_and_reconciled(
    engine: GraphEngine, tmp_path: Path
) -> None:
    report = load(engine, tmp_path, accounts_file(tmp_path))

    [file] = report.files
    assert (file.kind, file.rows_read, file.loaded, file.already_present, file.rejected) == (
        "accounts",
        5,
        3,
        0,
        2,
    )
    assert report.reconciles
    assert members(engine) == [["1", "alice"], ["2", "bob"], ["4", "dave"]]
    disclosure = engine.run(
        "MATCH (d:Disclosure {id: $id}) RETURN d.platform, d.source, d.load_stage",
        {"id": DISCLOSURE},
    ).rows
    assert disclosure == [["accounts-list", "accounts.csv", None]]  # the journal was closed
    assert not list((tmp_path / "staging").glob("infoops-stage-*"))  # staged files written, gone


def test_a_bad_row_of_another_format_is_quarantined_with_its_line(
    engine: GraphEngine, tmp_path: Path
) -> None:
    report = load(engine, tmp_path, accounts_file(tmp_path))

    assert report.quarantine_path == tmp_path / "quarantine.csv"
    # Each once, though both readers went past line 3.
    assert quarantined(report.quarantine_path) == [
        (3, "account is not a number: 'x9'"),
        (5, "expected 2 fields, found 3"),
    ]


def test_reloading_another_format_adds_nothing_and_reconciles(
    engine: GraphEngine, tmp_path: Path
) -> None:
    path = accounts_file(tmp_path)
    load(engine, tmp_path, path)

    again = load(engine, tmp_path, path)

    [file] = again.files
    assert (file.loaded, file.already_present, file.rejected) == (0, 3, 2)
    assert again.reconciles
    assert sum(again.written.values()) == 0
    assert members(engine) == [["1", "alice"], ["2", "bob"], ["4", "dave"]]


def test_the_formats_kinds_set_the_load_order(engine: GraphEngine, tmp_path: Path) -> None:
    handles = tmp_path / "handles.csv"
    handles.write_text("handle,account\nerin,5\n", encoding="utf-8")

    report = load(engine, tmp_path, handles, accounts_file(tmp_path))

    assert [(file.name, file.kind) for file in report.files] == [
        (str(tmp_path / "accounts.csv"), "accounts"),
        (str(handles), "handles"),
    ]
    assert ["5", "erin"] in members(engine)


def test_a_file_of_no_kind_of_the_format_stops_the_load_before_anything_is_written(
    engine: GraphEngine, tmp_path: Path
) -> None:
    other = tmp_path / "tweets.csv"
    other.write_text("tweetid,tweet_text\n1,hello\n", encoding="utf-8")

    with pytest.raises(InputFileError, match=r"tweets\.csv: not an accounts file"):
        load(engine, tmp_path, accounts_file(tmp_path), other)

    assert engine.run("MATCH (n) RETURN count(n)").scalar() == 0
    assert not (tmp_path / "staging").exists()
