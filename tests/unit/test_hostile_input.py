"""Broken and hostile input files, from real samples cut, flipped or re-encoded in tmp_path.

Three faults (issue 8): a damaged archive is a one-line error naming the file (and the zip
member) and what is wrong; a byte that is not UTF-8 rejects its row, not its file; an id that
comes again with different content is quarantined as a conflict naming the copy kept, while an
exact copy stays "already present" (in one file, across files, and across loads).
"""

from __future__ import annotations

import csv
import gzip
import io
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import graph_contents
from infoops.engines import GraphEngine
from infoops.errors import InputFileError
from infoops.loaders.quarantine import Quarantine
from infoops.loaders.sources import resolve_inputs
from infoops.loaders.twitter_io import LoadReport, load_twitter
from twitter_files import REAL_USERS, SAMPLES, account, tweet, write_tweets, write_users

DISCLOSURE = "hostile-test"
REAL_TWEETS = SAMPLES / "twitter_io" / "russia_201901_1_tweets_csv_hashed_head1000.csv"
ALICE = account("1180000000000000001", "alice_hk", follower_count="12")
BOB = account("22", "bob")


def load(
    engine: GraphEngine,
    quarantine: Path,
    *paths: Path | str,
    disclosure: str = DISCLOSURE,
    chunk_rows: int = 100_000,
) -> LoadReport:
    return load_twitter(
        engine, list(paths), disclosure, quarantine_path=quarantine, chunk_rows=chunk_rows
    )


def quarantined(path: Path) -> list[dict[str, str]]:
    if not path.exists():
        return []
    with path.open(encoding="utf-8", newline="") as stream:  # strict UTF-8: fails on bad bytes
        return list(csv.DictReader(stream))


def gzipped(path: Path, data: bytes) -> Path:
    path.write_bytes(gzip.compress(data, mtime=0))
    return path


def zipped(path: Path, members: dict[str, bytes], compression: int) -> Path:
    with zipfile.ZipFile(path, "w", compression=compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def graph_without_disclosures(engine: GraphEngine) -> dict[str, object]:
    """The graph's contents but the Disclosure nodes (their loaded_at moves with every load)."""
    return {k: v for k, v in graph_contents(engine).items() if k != "Disclosure"}


def failure(engine: GraphEngine, tmp_path: Path, path: Path) -> str:
    with pytest.raises(InputFileError) as caught:
        load(engine, tmp_path / "q.csv", path)
    message = str(caught.value)
    assert "\n" not in message
    return message


# -- damaged archives -----------------------------------------------------------------------------


@pytest.mark.parametrize("sample", [REAL_USERS, REAL_TWEETS], ids=["users", "tweets"])
def test_truncated_gzip_is_a_one_line_error_naming_the_file(
    engine: GraphEngine, tmp_path: Path, sample: Path
) -> None:
    whole = gzip.compress(sample.read_bytes(), mtime=0)
    cut = tmp_path / f"{sample.stem}.csv.gz"
    cut.write_bytes(whole[: len(whole) // 2])
    message = failure(engine, tmp_path, cut)
    assert message.startswith(f"{cut}: truncated gzip stream")


@pytest.mark.parametrize("where", ["data", "crc"])
def test_corrupt_gzip_is_a_one_line_error_naming_the_file(
    engine: GraphEngine, tmp_path: Path, where: str
) -> None:
    damaged = bytearray(gzip.compress(REAL_USERS.read_bytes(), mtime=0))
    if where == "data":  # a run of flipped bytes inside the deflate stream: zlib.error
        at = len(damaged) // 3
        damaged[at : at + 16] = bytes(b ^ 0xFF for b in damaged[at : at + 16])
    else:  # the CRC-32 of the trailer
        damaged[-8] ^= 0xFF
    path = tmp_path / "users.csv.gz"
    path.write_bytes(bytes(damaged))
    message = failure(engine, tmp_path, path)
    assert message.startswith(f"{path}: corrupt gzip stream")


def test_truncated_zip_is_a_one_line_error_naming_the_file(
    engine: GraphEngine, tmp_path: Path
) -> None:
    whole = zipped(
        tmp_path / "whole.zip", {"x_users_csv_hashed.csv": REAL_USERS.read_bytes()}, 8
    ).read_bytes()
    cut = tmp_path / "release.zip"
    cut.write_bytes(whole[: len(whole) // 2])
    message = failure(engine, tmp_path, cut)
    assert message.startswith(f"{cut}: not a zip archive, or a truncated one")


@pytest.mark.parametrize("compression", [zipfile.ZIP_DEFLATED, zipfile.ZIP_STORED])
def test_corrupt_zip_member_names_archive_and_member(
    engine: GraphEngine, tmp_path: Path, compression: int
) -> None:
    archive = zipped(
        tmp_path / "release.zip", {"x_users_csv_hashed.csv": REAL_USERS.read_bytes()}, compression
    )
    damaged = bytearray(archive.read_bytes())
    middle = len(damaged) // 2
    if compression == zipfile.ZIP_DEFLATED:
        damaged[middle : middle + 16] = bytes(b ^ 0xFF for b in damaged[middle : middle + 16])
    else:  # one letter changed: the CSV still parses, only the CRC-32 tells
        letter = next(i for i in range(middle, len(damaged)) if chr(damaged[i]).islower())
        damaged[letter] = ord("a") if damaged[letter] != ord("a") else ord("b")
    archive.write_bytes(bytes(damaged))
    message = failure(engine, tmp_path, archive)
    assert message.startswith(f"{archive}!x_users_csv_hashed.csv: corrupt zip")


def test_gzip_inside_a_zip_loads_the_same_graph_as_the_plain_files(
    engine: GraphEngine, tmp_path: Path
) -> None:
    archive = zipped(
        tmp_path / "release.zip",
        {
            "x_users_csv_hashed.csv.gz": gzip.compress(REAL_USERS.read_bytes()),
            "x_tweets_csv_hashed.csv.gz": gzip.compress(REAL_TWEETS.read_bytes()),
        },
        zipfile.ZIP_STORED,  # as releases ship them: a .gz gains nothing from deflate
    )
    sizes = {item.name: item.size for item in resolve_inputs([archive])}
    assert sizes == {  # progress follows the uncompressed bytes
        f"{archive}!x_tweets_csv_hashed.csv.gz": REAL_TWEETS.stat().st_size,
        f"{archive}!x_users_csv_hashed.csv.gz": REAL_USERS.stat().st_size,
    }
    zipped_load = load(engine, tmp_path / "q1.csv", archive)
    assert [(f.name, f.rows_read, f.loaded) for f in zipped_load.files] == [
        (f"{archive}!x_users_csv_hashed.csv.gz", 744, 744),
        (f"{archive}!x_tweets_csv_hashed.csv.gz", 408, 407),  # the sample's last record is cut
    ]
    contents = graph_without_disclosures(engine)
    plain_load = load(engine, tmp_path / "q2.csv", REAL_USERS, REAL_TWEETS)
    assert plain_load.total("loaded") == 0 and plain_load.total("rejected") == 1
    assert graph_without_disclosures(engine) == contents


def test_a_zip_inside_a_zip_is_refused_naming_the_member(tmp_path: Path) -> None:
    inner = zipped(tmp_path / "inner.zip", {"x_users_csv_hashed.csv": b"userid\n"}, 8)
    outer = zipped(tmp_path / "outer.zip", {"parts/inner.zip": inner.read_bytes()}, 8)
    with pytest.raises(InputFileError) as caught:
        resolve_inputs([outer])
    message = str(caught.value)
    assert message.startswith(f"{outer}!parts/inner.zip: a zip inside a zip is not read")
    assert "\n" not in message


def test_names_from_an_archive_cannot_break_the_one_line_message(
    engine: GraphEngine, tmp_path: Path
) -> None:
    archive = zipped(tmp_path / "release.zip", {"a\n\x1b[2Jb_users.csv": b"x,y\n1,2\n"}, 8)
    message = failure(engine, tmp_path, archive)
    assert message.startswith(f"{archive}!a\\n\\x1b[2Jb_users.csv: not a Twitter")


# -- encodings ------------------------------------------------------------------------------------


def record_start_lines(data: bytes) -> list[int]:
    """The physical line on which each data record of a CSV starts (the header is line 1)."""
    reader = csv.reader(io.StringIO(data.decode("utf-8"), newline=""))
    next(reader)
    starts, previous_end = [], reader.line_num
    for _ in reader:
        starts.append(previous_end + 1)
        previous_end = reader.line_num
    return starts


def test_a_byte_that_is_not_utf8_rejects_only_its_row(engine: GraphEngine, tmp_path: Path) -> None:
    data = REAL_USERS.read_bytes()
    line = record_start_lines(data)[3]  # the fourth record
    lines = data.split(b"\n")
    record = lines[line - 1]
    second_field = record.index(b'","') + 3  # user_display_name
    lines[line - 1] = record[:second_field] + b"caf\xe9 " + record[second_field:]
    userid = record[1 : record.index(b'"', 1)].decode()
    path = tmp_path / "x_users_csv_hashed.csv"
    path.write_bytes(b"\n".join(lines))

    report = load(engine, tmp_path / "q.csv", path)
    f = report.files[0]
    assert (f.rows_read, f.loaded, f.already_present, f.rejected) == (744, 743, 0, 1)
    assert report.reconciles
    rows = quarantined(tmp_path / "q.csv")
    assert [(r["line"], r["reason"]) for r in rows] == [
        (
            str(line),
            "not UTF-8: byte 0xe9 in user_display_name; "
            "re-encode the file as UTF-8 to load this row",
        )
    ]
    assert "caf\\xe9 " in rows[0]["record"]  # the raw value, its bad byte shown as an escape
    count = "MATCH (a:Account) WHERE a.userid = $u RETURN count(a)"
    assert engine.run(count, {"u": userid}).scalar() == 0
    assert engine.run("MATCH (a:Account) RETURN count(a)").scalar() == 743


def test_a_header_that_is_not_utf8_is_a_one_line_error(engine: GraphEngine, tmp_path: Path) -> None:
    path = tmp_path / "users.csv"
    path.write_bytes(REAL_USERS.read_bytes().replace(b"userid", b"userid\xe9", 1))
    message = failure(engine, tmp_path, path)
    assert message.startswith(f"{path}: cannot read header: not UTF-8 (byte 0xe9 in column 1)")


def test_a_bom_and_crlf_line_endings_load_with_exact_line_numbers(
    engine: GraphEngine, tmp_path: Path
) -> None:
    data = REAL_USERS.read_bytes()
    bad = account("99", "late", follower_count="many")
    extra = io.StringIO()
    csv.writer(extra, quoting=csv.QUOTE_ALL, lineterminator="\n").writerow(bad.values())
    windows = b"\xef\xbb\xbf" + (data + extra.getvalue().encode()).replace(b"\n", b"\r\n")
    plain = tmp_path / "users.csv"
    plain.write_bytes(windows)
    archive = zipped(
        tmp_path / "release.zip", {"x_users_csv_hashed.csv.gz": gzip.compress(windows)}, 0
    )
    for number, path in enumerate((plain, archive)):
        q = tmp_path / f"q{number}.csv"
        report = load(engine, q, path)
        assert report.reconciles and report.total("rejected") == 1
        assert [r["line"] for r in quarantined(q)] == [str(data.count(b"\n") + 1)]
    assert engine.run("MATCH (a:Account) RETURN count(a)").scalar() == 744


def test_quarantine_cells_are_utf8_and_never_formulas(tmp_path: Path) -> None:
    quarantine = Quarantine(tmp_path / "q.csv")
    quarantine.reject("=HYPERLINK(1).csv", 7, "@reason", ["caf\udce9", "=1+1"])
    quarantine.close()
    (row,) = quarantined(tmp_path / "q.csv")
    assert row["file"] == "'=HYPERLINK(1).csv" and row["reason"] == "'@reason"
    assert row["record"] == '"caf\\xe9","=1+1"'  # a CSV line: starts with a quote


# -- conflicting duplicates -----------------------------------------------------------------------


def test_a_conflicting_copy_in_another_file_is_quarantined_naming_the_kept_copy(
    engine: GraphEngine, tmp_path: Path
) -> None:
    first = write_tweets(
        tmp_path / "a.csv", [tweet("10", ALICE, tweet_text="as posted"), tweet("11", ALICE)]
    )
    second = write_tweets(
        tmp_path / "b.csv", [tweet("10", ALICE, tweet_text="as edited"), tweet("11", ALICE)]
    )
    report = load(engine, tmp_path / "q.csv", first, second)
    counts = [(f.loaded, f.already_present, f.rejected) for f in report.files]
    assert counts == [(2, 0, 0), (0, 1, 1)] and report.reconciles
    assert [(r["file"], r["line"], r["reason"]) for r in quarantined(tmp_path / "q.csv")] == [
        (
            str(second),
            "2",
            f"conflict: tweetid 10 has different content than the copy kept from {first} line 2",
        )
    ]
    text = engine.run("MATCH (t:Tweet {tweetid: '10'}) RETURN t.text").scalar()
    assert text == "as posted"


@pytest.mark.parametrize("path", ["fast", "chunk-by-chunk", "exact"])
def test_conflicting_and_exact_copies_within_one_file(
    engine: GraphEngine, tmp_path: Path, path: str
) -> None:
    rows = [
        tweet("20", ALICE, like_count="1.0"),
        tweet("21", BOB),
        tweet("20", ALICE, like_count="1"),  # the same once normalised: an exact copy
        tweet("20", ALICE, like_count="5.0"),
        tweet("21", BOB),
    ]
    file = write_tweets(tmp_path / "t.csv", rows)
    if path == "exact":  # a malformed record sends the file to the exact reader
        with file.open("a", encoding="utf-8") as stream:
            stream.write('"22","too few"\n')
    report = load(
        engine, tmp_path / "q.csv", file, chunk_rows=1 if path == "chunk-by-chunk" else 10
    )
    f = report.files[0]
    malformed = 1 if path == "exact" else 0
    assert (f.loaded, f.already_present, f.rejected) == (2, 2, 1 + malformed)
    assert report.reconciles
    conflicts = [r for r in quarantined(tmp_path / "q.csv") if r["reason"].startswith("conflict")]
    assert [(r["line"], r["reason"]) for r in conflicts] == [
        ("5", f"conflict: tweetid 20 has different content than the copy kept from {file} line 2")
    ]
    assert engine.run("MATCH (t:Tweet {tweetid: '20'}) RETURN t.likes").scalar() == 1


def test_conflicting_accounts_in_users_files(engine: GraphEngine, tmp_path: Path) -> None:
    carol = account("33", "carol", user_profile_description="first bio")
    first = write_users(
        tmp_path / "a_users.csv",
        [ALICE, carol, account("33", "carol", user_profile_description="second bio"), carol],
    )
    second = write_users(tmp_path / "b_users.csv", [{**ALICE, "follower_count": "13"}, carol])
    report = load(engine, tmp_path / "q.csv", first, second)
    counts = [(f.rows_read, f.loaded, f.already_present, f.rejected) for f in report.files]
    assert counts == [(4, 2, 1, 1), (2, 0, 1, 1)] and report.reconciles
    assert [(r["file"], r["line"], r["reason"]) for r in quarantined(tmp_path / "q.csv")] == [
        (
            str(first),
            "4",
            f"conflict: userid 33 has different content than the copy kept from {first} line 3",
        ),
        (
            str(second),
            "2",
            f"conflict: userid {ALICE['userid']} has different content than the copy kept "
            f"from {first} line 2",
        ),
    ]


def test_a_conflict_arriving_in_a_later_load_is_checked_against_the_graph(
    engine: GraphEngine, tmp_path: Path
) -> None:
    users = write_users(tmp_path / "users.csv", [ALICE])
    posted = write_tweets(tmp_path / "a.csv", [tweet("30", ALICE, tweet_text="as posted")])
    load(engine, tmp_path / "q1.csv", REAL_USERS, REAL_TWEETS, users, posted)
    before = graph_without_disclosures(engine)

    again = load(engine, tmp_path / "q2.csv", REAL_USERS, REAL_TWEETS, users, posted)
    assert again.total("loaded") == 0 and again.reconciles
    assert [r["line"] for r in quarantined(tmp_path / "q2.csv")] == ["998"]  # the cut record only

    edited_users = write_users(tmp_path / "users2.csv", [{**ALICE, "follower_count": "99"}])
    edited = write_tweets(tmp_path / "b.csv", [tweet("30", ALICE, tweet_text="as edited")])
    later = load(engine, tmp_path / "q3.csv", edited_users, edited)
    assert [(f.loaded, f.already_present, f.rejected) for f in later.files] == [
        (0, 0, 1),
        (0, 0, 1),
    ]
    kept = f"the copy already in the graph for disclosure {DISCLOSURE}"
    assert [r["reason"] for r in quarantined(tmp_path / "q3.csv")] == [
        f"conflict: userid {ALICE['userid']} has different content than {kept}",
        f"conflict: tweetid 30 has different content than {kept}",
    ]
    assert graph_without_disclosures(engine) == before

    # Another release holding its own snapshot of the tweet is no conflict, even re-loaded.
    for run in range(2):
        other = load(engine, tmp_path / f"q4{run}.csv", edited, disclosure="another-release")
        assert other.total("rejected") == 0 and other.total("loaded") == 1 - run
    assert load(engine, tmp_path / "q5.csv", posted).total("rejected") == 0


def test_a_reload_compares_stored_fingerprints_and_properties_only_without_one(
    engine: GraphEngine, tmp_path: Path
) -> None:
    """A re-load compares each row with the fingerprint stored on its node, not with the
    node's properties read back (the graph was edited here since: still an exact copy of what
    was loaded); a node stored without one (a database from before) is compared by them."""
    posted = write_tweets(tmp_path / "a.csv", [tweet("30", ALICE, tweet_text="as posted")])
    load(engine, tmp_path / "q1.csv", posted)
    engine.run("MATCH (t:Tweet {tweetid: '30'}) SET t.text = 'edited in the graph'")

    again = load(engine, tmp_path / "q2.csv", posted)
    counts = [(f.loaded, f.already_present, f.rejected) for f in again.files]
    assert counts == [(0, 1, 0)] and quarantined(tmp_path / "q2.csv") == []

    engine.run("MATCH (t:Tweet {tweetid: '30'}) SET t.fingerprint = NULL")
    older = load(engine, tmp_path / "q3.csv", posted)
    assert [(f.loaded, f.already_present, f.rejected) for f in older.files] == [(0, 0, 1)]
    kept = f"the copy already in the graph for disclosure {DISCLOSURE}"
    assert [r["reason"] for r in quarantined(tmp_path / "q3.csv")] == [
        f"conflict: tweetid 30 has different content than {kept}"
    ]


FINGERPRINT = """
import pyarrow as pa
from infoops.loaders.twitter_io.fingerprints import content_fingerprints
table = pa.table({"text": ["x", "x", "x|1:y"], "n": [1, 1, None]})
same, other, crafted = content_fingerprints(table, ["text", "n"]).tolist()
print(same.decode(), other == same, crafted == same)
"""


def test_content_fingerprints_are_the_same_in_every_process_and_128_bits() -> None:
    """Stored on the nodes, a fingerprint is compared by later loads in other processes: it
    must not depend on the process (Python's own string hash is keyed per process, and fixed
    by PYTHONHASHSEED). 128 bits of BLAKE2b, so that no file can be crafted for a conflicting
    row to pass as an exact copy; a text cannot pass for a column boundary."""
    runs = [
        subprocess.run(
            [sys.executable, "-c", FINGERPRINT],
            capture_output=True,
            text=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
            check=True,
        ).stdout.split()
        for seed in ("random", "random", "0", "1")
    ]
    assert [run[1:] for run in runs] == [["True", "False"]] * 4
    assert {run[0] for run in runs} == {"40f95f41e04b178e0a9323d838350bfa"}
