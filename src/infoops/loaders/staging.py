"""Stage a whole load in Parquet files, then write it to the graph one file per transaction.

Why: on Ladybug every committed bulk COPY is checkpointed into the main store, and that cost
grows with the database, so committing chunk by chunk made a 1M-tweet load quadratic (about two
minutes, and gigabytes of memory). Staged, a load is a dozen large COPYs straight from Parquet.
One transaction for all of them would hold the whole load in memory (2 GB at 1M tweets), so each
file is its own transaction and a journal on the Disclosure node records the steps done (see
loaders/load_journal.py): a load killed while writing is finished by simply running it again.

The stage remembers which keys it holds, so rows repeated across chunks and files are written
once; placeholders (tweets and accounts only referenced) stay in memory until the end, because a
later row may turn them into full released nodes.

A load's disk is known here too: about how much staging and writing take, so that a disk that
fills up in either phase is one line saying how much to free (DiskFullError).
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import shutil
import socket
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from infoops.engines.base import GraphEngine, node_table, rel_table
from infoops.errors import DiskFullError, EngineError
from infoops.graph_model import NODES, RELS
from infoops.loaders.key_index import KeySet

PLAN_FILE = "plan.json"


OWNER_FILE = "owner"


def owner_alive(folder: Path) -> bool:
    """Is the process that staged ``folder`` still running (on this machine)?"""
    try:
        host, pid = (folder / OWNER_FILE).read_text().split()
    except (OSError, ValueError):
        return False
    if host != socket.gethostname():
        return True  # another machine's load: not ours to judge
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except (PermissionError, ValueError):
        return True
    return True


class Stage:
    """Parquet files per node label / relationship type (in parts), written by the journal."""

    def __init__(self, workdir: Path | None = None, *, part_rows: int) -> None:
        """``part_rows``: rows per staged file, so per write transaction (the engine's
        ``write_part_rows`` unless a caller knows better)."""
        if workdir is not None:
            workdir.mkdir(parents=True, exist_ok=True)
        try:
            self.dir = Path(tempfile.mkdtemp(prefix="infoops-stage-", dir=workdir)).resolve()
        except BaseException:  # a full disk: no empty staging area is left behind
            if workdir is not None:
                _remove_if_empty(workdir)
            raise
        # Who is staging here: a sweep leaves the folders of live loads alone (a server's
        # staging area can hold several loads at once).
        try:
            (self.dir / OWNER_FILE).write_text(f"{socket.gethostname()} {os.getpid()}\n")
        except BaseException:
            remove_staged(self.dir)
            raise
        self.part_rows = part_rows
        self._writers: dict[tuple[str, ...], pq.ParquetWriter] = {}
        self._paths: dict[tuple[str, ...], list[Path]] = {}
        self._part_filled: dict[tuple[str, ...], int] = {}
        # Keys of nodes staged as full rows in this load, per label (sorted arrays, not Python
        # sets: a set of a million ids costs about 100 MB).
        self.keys: dict[str, KeySet] = {node.label: KeySet() for node in NODES}
        # Referenced-only nodes: key -> author (tweets) or screen name (accounts).
        self.placeholder_tweets: dict[str, str | None] = {}
        self.placeholder_accounts: dict[str, str | None] = {}
        # The keys of placeholder_tweets (looked up by the chunk), those without an author.
        self.placeholder_keys = KeySet()
        self.authorless_tweets: set[str] = set()

    def _append(self, key: tuple[str, ...], table: pa.Table) -> None:
        while table.num_rows:
            writer = self._writers.get(key)
            if writer is None or self._part_filled[key] >= self.part_rows:
                if writer is not None:
                    writer.close()
                parts = self._paths.setdefault(key, [])
                path = self.dir / f"{'-'.join(key)}-{len(self._writers)}-{len(parts)}.parquet"
                # Plain and uncompressed, without statistics: the files live for one load, and
                # compressing cost 1.5 s in 30, dictionaries and statistics another 0.4 s.
                writer = pq.ParquetWriter(
                    path,
                    table.schema,
                    compression="none",
                    use_dictionary=False,
                    write_statistics=False,
                )
                self._writers[key], self._part_filled[key] = writer, 0
                parts.append(path)
            room = self.part_rows - self._part_filled[key]
            writer.write_table(table.slice(0, room))
            self._part_filled[key] += min(room, table.num_rows)
            table = table.slice(room)

    def add_nodes(self, label: str, table: pa.Table, key: str) -> None:
        self.keys[label].add(table.column(key))
        self._append(("node", label), table)

    def add_updates(self, label: str, table: pa.Table) -> None:
        """Rows that complete nodes already in the graph (placeholders becoming released)."""
        self._append(("update", label, *table.column_names), table)

    def add_rels(
        self,
        rel_type: str,
        src_label: str,
        dst_label: str,
        src: Any,
        dst: Any,
        props: Mapping[str, Any] | None = None,
    ) -> None:
        """Relationship rows; every property of the type gets a column (null unless in
        ``props``), because a Ladybug COPY of a relationship table needs them all."""
        if len(src):
            rows = rel_table(rel_type, src, dst, props)
            self._append(("rel", rel_type, src_label, dst_label), rows)

    def add_side(self, name: str, table: pa.Table) -> None:
        """Rows kept for the load's own use, not written to the graph (``side_files``)."""
        if table.num_rows:
            self._append(("side", name), table)

    def side_files(self, name: str) -> list[Path]:
        return list(self._paths.get(("side", name), []))

    def _flush_placeholders(self) -> None:
        tweets = _unstaged(self.placeholder_tweets, self.keys["Tweet"])
        accounts = _unstaged(self.placeholder_accounts, self.keys["Account"])
        self.add_nodes(
            "Account", placeholder_accounts(list(accounts), list(accounts.values())), "userid"
        )
        self.add_nodes(
            "Tweet",
            node_table(
                "Tweet",
                {
                    "tweetid": list(tweets),
                    "userid": list(tweets.values()),
                    "in_disclosure": [False] * len(tweets),
                },
            ),
            "tweetid",
        )
        authored = [(a, t) for t, a in tweets.items() if a]
        self.add_rels(
            "POSTED", "Account", "Tweet", [a for a, _ in authored], [t for _, t in authored]
        )
        self.placeholder_tweets.clear()
        self.placeholder_accounts.clear()
        self.placeholder_keys = KeySet()
        self.authorless_tweets.clear()

    def seal(self) -> list[dict[str, str]]:
        """Finish writing and return the plan: one step per file, nodes before relationships,
        saved as ``plan.json`` so an interrupted commit can be resumed from the files."""
        self._flush_placeholders()
        for writer in self._writers.values():
            writer.close()
        self._writers.clear()
        steps: list[dict[str, str]] = []
        for node in NODES:
            for path in self._paths.get(("node", node.label), []):
                steps.append({"kind": "node", "label": node.label, "file": path.name})
        for key, paths in self._paths.items():
            if key[0] == "update":
                steps += [{"kind": "update", "label": key[1], "file": p.name} for p in paths]
        for rel in RELS:
            for src, dst in rel.endpoints:
                for path in self._paths.get(("rel", rel.type, src, dst), []):
                    steps.append(
                        {
                            "kind": "rel",
                            "type": rel.type,
                            "src": src,
                            "dst": dst,
                            "file": path.name,
                        }
                    )
        (self.dir / PLAN_FILE).write_text(json.dumps(steps, indent=1), encoding="utf-8")
        # The key sets are among the largest objects of a load; the plan no longer needs them.
        self.keys = {label: KeySet() for label in self.keys}
        return steps

    def close(self) -> None:
        """Remove the staged files (a load that failed before writing, or one written)."""
        for writer in self._writers.values():
            # Closing flushes: on the disk that just filled up it fails again, and the files
            # must go all the same.
            with contextlib.suppress(OSError):
                writer.close()
        self._writers.clear()
        remove_staged(self.dir)


def placeholder_accounts(userids: list[str], screen_names: list[str | None]) -> pa.Table:
    """Account rows for accounts a release only refers to (a load's placeholders, and what a
    removal leaves of an account others still refer to)."""
    return node_table(
        "Account",
        {
            "userid": userids,
            "screen_name": screen_names,
            "screen_name_lc": [name.lower() if name else None for name in screen_names],
            # '@name' keys stand for retweeted handles whose id the release never gave.
            "hashed": [not (u.isdigit() or u.startswith("@")) for u in userids],
            "in_disclosure": [False] * len(userids),
        },
    )


def _unstaged(placeholders: dict[str, str | None], staged: KeySet) -> dict[str, str | None]:
    """The placeholders whose key no full row of the load staged."""
    keys = list(placeholders)
    missing = ~staged.contains(keys)
    return {key: placeholders[key] for key, keep in zip(keys, missing, strict=True) if keep}


def remove_staged(folder: Path) -> None:
    """Remove a load's staged files, and the staging area they were in when no other load
    uses it."""
    shutil.rmtree(folder, ignore_errors=True)
    _remove_if_empty(folder.parent)


def _remove_if_empty(folder: Path) -> None:
    with contextlib.suppress(OSError):
        folder.rmdir()  # not empty: another load is staging there


def run_step(
    engine: GraphEngine, folder: Path, step: dict[str, str], rows: pa.Table | None = None
) -> tuple[str, int]:
    """Write one planned file, or only ``rows`` of it; returns (label or type, rows written)."""
    path = folder / step["file"]
    if step["kind"] == "node":
        if rows is not None:
            return step["label"], engine.insert_nodes(step["label"], rows)
        return step["label"], engine.copy_nodes(step["label"], path)
    if step["kind"] == "update":
        return step["label"], engine.update_nodes(step["label"], pq.read_table(path))
    if rows is not None:
        return step["type"], engine.insert_rels(step["type"], step["src"], step["dst"], rows)
    return step["type"], engine.copy_rels(step["type"], step["src"], step["dst"], path)


def read_plan(folder: Path) -> list[dict[str, str]]:
    return list(json.loads((folder / PLAN_FILE).read_text(encoding="utf-8")))


def default_staging_dir(engine: GraphEngine) -> Path:
    """Beside a Ladybug database (same disk, survives a reboot); for a server, a folder of the
    user's (INFOOPS_STAGING_DIR, else ~/.cache/infoops/staging). Always absolute: the journal
    records it, and a load interrupted in one working folder is resumed from any other."""
    db_path = database_file(engine)
    if db_path is not None:
        return db_path.with_name(db_path.name + ".staging")
    configured = os.environ.get("INFOOPS_STAGING_DIR")
    if configured:
        return Path(configured).expanduser().resolve()
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return (cache / "infoops" / "staging").resolve()


def database_file(engine: GraphEngine) -> Path | None:
    """The Ladybug database file, absolute; None for a server, which keeps its own disk."""
    path = getattr(engine, "path", None)
    return path.resolve() if isinstance(path, Path) else None


# -- the disk a load takes ---------------------------------------------------------------------

# Measured on Ladybug with synthetic releases of 20k and 200k tweets: the staged Parquet files are
# 0.5-0.65 times the CSV they come from, and writing them grows the database's folder by up to
# 1.9 times the staged bytes at its peak (checkpoint shadow pages included), plus about 11 MB
# whatever the size. Rounded up: these only tell a user how much to free when a disk filled up.
_FIXED_GRAPH_BYTES = 16 << 20


def bytes_to_stage(input_bytes: int) -> int:
    """Disk the staged files of ``input_bytes`` of CSV take, about."""
    return input_bytes


def bytes_to_write(staged_bytes: int) -> int:
    """Disk the database grows by while it writes ``staged_bytes`` of staged files, about."""
    return 2 * staged_bytes + _FIXED_GRAPH_BYTES


def folder_bytes(folder: Path) -> int:
    """Bytes of the files in ``folder`` (0 when it is gone)."""
    with contextlib.suppress(OSError):
        return sum(path.stat().st_size for path in folder.iterdir() if path.is_file())
    return 0


def disk_full(exc: BaseException) -> bool:
    """Did ``exc`` come from a full disk (ours, or one the engine writes to)?"""
    if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return True
    # Ladybug and a Neo4j server pass the operating system's message on in their own errors.
    return any(text in str(exc) for text in ("No space left on device", "Disk quota exceeded"))


def staging_disk_full(
    exc: BaseException, area: Path, db: Path | None, input_bytes: int
) -> DiskFullError:
    """The one line for a disk that filled up while staging: the space the rest of the load
    needs there, the database's growth included when it lives on the same disk (Ladybug
    stages beside it)."""
    where = _failed_folder(exc) or area
    need = bytes_to_stage(input_bytes)
    if db is not None and _same_disk(db.parent, where):
        need += bytes_to_write(need)
    place = "there" if where == area else f"in {where}"
    return DiskFullError(
        f"disk full while staging the load in {area}: the load needs about {_megabytes(need)} MB "
        f"free {place}; free space and re-run the same command"
    )


def writing_disk_full(
    exc: BaseException, db: Path | None, staged: Path | None
) -> DiskFullError | None:
    """The one line for a write that failed on a full disk, or None when ``exc`` is another
    failure. ``db``: the Ladybug database file (None on a server); ``staged``: the load's
    staged files, where it also writes files of its own (an OSError, not the engine's)."""
    need = bytes_to_write(folder_bytes(staged) if staged is not None else 0)
    where = db.parent if db is not None else None
    if isinstance(exc, OSError):
        where = _failed_folder(exc) or staged or where
    # A checkpoint that fails on a full disk may name no cause, only a read past a file's end
    # (Ladybug 0.22: "IO exception: Cannot read from file ... numBytesRead: 0"): the space left
    # on the database's disk tells.
    starved = (
        isinstance(exc, EngineError)
        and "IO exception" in str(exc)
        and where is not None
        and _free_bytes(where) < need
    )
    if not (disk_full(exc) or starved):
        return None
    target = str(db) if db is not None else "the Neo4j server"
    place = f"in {where}" if where is not None else "on the Neo4j server's disk"
    return DiskFullError(
        f"disk full while writing the graph to {target}: the load needs about "
        f"{_megabytes(need)} MB free {place}; free space and re-run the same command "
        "(it goes on from the staged files)"
    )


def _failed_folder(exc: BaseException) -> Path | None:
    """The folder of the file an OSError names (pyarrow's name none)."""
    filename = exc.filename if isinstance(exc, OSError) else None
    return Path(str(filename)).resolve().parent if filename else None


def _existing(path: Path) -> Path:
    while not path.exists() and path != path.parent:
        path = path.parent
    return path


def _free_bytes(folder: Path) -> int:
    try:
        return shutil.disk_usage(_existing(folder)).free
    except OSError:
        return 0


def _same_disk(first: Path, second: Path) -> bool:
    try:
        return _existing(first).stat().st_dev == _existing(second).stat().st_dev
    except OSError:
        return False


def _megabytes(size: int) -> int:
    return max(1, -(-size // (1 << 20)))
