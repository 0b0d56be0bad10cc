"""Later release layouts and folders (issue 9, items 5 and 6), from the real samples in tmp_path.

- December 2021 camelCase headers (``followerCount``) read as the snake_case columns, for users
  and tweets files, and a column the archive never had is never taken for one it has;
- a release split by year, by letter or into numbered parts loads as one release: the graph,
  the counts, the Disclosure's file list and a re-load are those of the unsplit file;
- a folder holding one content twice (a zip beside its extracted CSV, a .gz beside its .csv)
  reads it once and says which copy it skipped.
"""

from __future__ import annotations

import csv
import gzip
import io
import re
import zipfile
from pathlib import Path
from typing import Any

import pytest

from conftest import graph_contents, graph_counts
from infoops.engines import GraphEngine
from infoops.errors import InputFileError
from infoops.loaders.sources import distinct_contents, listed_files, resolve_inputs
from infoops.loaders.twitter_io import LoadReport, load_twitter
from infoops.loaders.twitter_io.columns import (
    TWEET_COLUMNS,
    USER_COLUMNS,
    FileKind,
    canonical_column,
    classify_header,
)
from twitter_files import REAL_USERS, SAMPLES, write_csv

DISCLOSURE = "layouts-test"
REAL_TWEETS = SAMPLES / "twitter_io" / "russia_201901_1_tweets_csv_hashed_head1000.csv"
# The December 2021 users header, as data-formats.md gives it.
DEC_2021_USERS = [
    "userid",
    "userDisplayName",
    "userScreenName",
    "userReportedLocation",
    "userProfileDescription",
    "userProfileUrl",
    "followerCount",
    "followingCount",
    "accountCreationDate",
    "accountLanguage",
]


def load(engine: GraphEngine, tmp_path: Path, *paths: Path | str) -> LoadReport:
    return load_twitter(engine, list(paths), DISCLOSURE, quarantine_path=tmp_path / "q.csv")


def camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(word.capitalize() for word in rest)


def with_header(source: Path, target: Path, header: list[str]) -> Path:
    """``source`` with its header line replaced, every other byte as published."""
    data = source.read_bytes()
    line = io.StringIO()
    csv.writer(line, quoting=csv.QUOTE_ALL, lineterminator="\n").writerow(header)
    target.write_bytes(line.getvalue().encode() + data[data.index(b"\n") + 1 :])
    return target


def real_tweets() -> tuple[list[str], list[dict[str, str]]]:
    """The sample's header and its whole records (its publisher cut the last one short)."""
    with REAL_TWEETS.open(encoding="utf-8", newline="") as stream:
        reader = csv.reader(stream)
        header = next(reader)
        rows = [dict(zip(header, row, strict=True)) for row in reader if len(row) == len(header)]
    return header, rows


def model(engine: GraphEngine) -> dict[str, Any]:
    """The graph without the Disclosure node (its load time and file list differ by design)."""
    contents = graph_contents(engine)
    del contents["Disclosure"]
    return contents


def disclosure_files(engine: GraphEngine) -> str:
    return str(engine.run("MATCH (d:Disclosure) RETURN d.source").scalar())


# -- camelCase headers ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "column"),
    [
        *zip(DEC_2021_USERS[1:], USER_COLUMNS[1:], strict=True),  # userid is userid
        ("inReplyToUserid", "in_reply_to_userid"),
        ("quotedTweetTweetid", "quoted_tweet_tweetid"),
        ("isRetweet", "is_retweet"),
        ("userMentions", "user_mentions"),
        ("pollChoices", "poll_choices"),
        (" Follower Count ", "follower_count"),
    ],
)
def test_camel_case_names_are_the_archive_columns(name: str, column: str) -> None:
    assert canonical_column(name) == column


def test_every_known_column_has_a_name_of_its_own() -> None:
    """No two columns of the archive fold to one name (else one would shadow the other)."""
    assert {canonical_column(camel(c)) for c in TWEET_COLUMNS} == set(TWEET_COLUMNS)
    assert [canonical_column(c.upper()) for c in TWEET_COLUMNS] == list(TWEET_COLUMNS)


def test_camel_case_headers_are_recognised() -> None:
    assert classify_header("u.csv", DEC_2021_USERS) is FileKind.USERS
    assert classify_header("t.csv", [camel(c) for c in TWEET_COLUMNS]) is FileKind.TWEETS


@pytest.mark.parametrize(
    ("known", "unknown", "missing"),
    [
        ("followerCount", "followerCountHistory", "follower_count"),
        ("userProfileUrl", "userProfileBannerUrl", "user_profile_url"),
        ("accountLanguage", "accountLanguageCode", "account_language"),
        ("userReportedLocation", "location", "user_reported_location"),
    ],
)
def test_an_unknown_column_does_not_stand_in_for_a_missing_one(
    known: str, unknown: str, missing: str
) -> None:
    header = [unknown if c == known else c for c in DEC_2021_USERS]
    with pytest.raises(InputFileError, match=f"users file has no column {missing};"):
        classify_header("u.csv", header)


def test_two_names_for_one_column_are_refused() -> None:
    with pytest.raises(InputFileError, match="followerCount and follower_count both name"):
        classify_header("u.csv", [*DEC_2021_USERS, "follower_count"])


def test_dec_2021_users_header_loads_the_graph_of_the_snake_case_one(
    engine: GraphEngine, tmp_path: Path
) -> None:
    load(engine, tmp_path, REAL_USERS)
    expected = model(engine)
    engine.run("MATCH (n) DETACH DELETE n")
    camel_file = with_header(REAL_USERS, tmp_path / "CNCC_0621_users.csv", DEC_2021_USERS)
    report = load(engine, tmp_path, camel_file)
    assert (report.total("rows_read"), report.total("loaded")) == (744, 744)
    assert model(engine) == expected


def test_camel_case_tweets_header_loads_the_graph_of_the_snake_case_one(
    engine: GraphEngine, tmp_path: Path
) -> None:
    header, _ = real_tweets()
    load(engine, tmp_path, REAL_TWEETS)
    expected, expected_counts = model(engine), graph_counts(engine)
    engine.run("MATCH (n) DETACH DELETE n")
    camel_file = with_header(REAL_TWEETS, tmp_path / "t.csv", [camel(c) for c in header])
    report = load(engine, tmp_path, camel_file)
    assert report.total("loaded") == 407  # the cut last record is quarantined, as before
    assert graph_counts(engine) == expected_counts
    assert model(engine) == expected


def test_an_unknown_camel_case_column_is_not_read_as_a_known_one(
    engine: GraphEngine, tmp_path: Path
) -> None:
    """``userProfileBannerUrl`` comes before ``userProfileUrl``: a loose match (prefix, words in
    common) would read the banner as the profile url."""
    with REAL_USERS.open(encoding="utf-8", newline="") as stream:
        rows = list(csv.DictReader(stream))
    header = ["userProfileBannerUrl", *DEC_2021_USERS]
    renamed = [
        {"userProfileBannerUrl": f"https://banner.example/{i}"}
        | dict(zip(DEC_2021_USERS, row.values(), strict=True))
        for i, row in enumerate(rows)
    ]
    load(engine, tmp_path, write_csv(tmp_path / "u.csv", header, renamed))
    urls = engine.run("MATCH (a:Account) WHERE a.url CONTAINS 'banner' RETURN count(a)").scalar()
    assert urls == 0
    profile = "MATCH (a:Account {userid: '747292706536226816'}) RETURN a.screen_name, a.followers"
    assert engine.run(profile).rows == [["gurevadona88", 23949]]


# -- parts of one release ------------------------------------------------------------------------


def _by_year(rows: list[dict[str, str]]) -> list[tuple[str, list[dict[str, str]]]]:
    years = sorted({row["tweet_time"][:4] for row in rows})
    return [(f"_{y}", [r for r in rows if r["tweet_time"][:4] == y]) for y in years]


def _in_pieces(count: int, rows: list[dict[str, str]]) -> list[list[dict[str, str]]]:
    return [rows[i * len(rows) // count : (i + 1) * len(rows) // count] for i in range(count)]


LAYOUTS = {
    "year": _by_year,
    "letter": lambda rows: [(f"_{c}", p) for c, p in zip("abcd", _in_pieces(4, rows), strict=True)],
    "numbered": lambda rows: [(f"_{i + 1}", p) for i, p in enumerate(_in_pieces(12, rows))],
    "part": lambda rows: [(f"_part{i + 1}", p) for i, p in enumerate(_in_pieces(11, rows))],
}


def release_rows() -> tuple[list[str], list[dict[str, str]]]:
    """The real tweets in time order, then a later crawl of an early tweet with another like
    count: a conflict, so which copy is kept shows in what order the parts were read."""
    header, rows = real_tweets()
    rows.sort(key=lambda row: (row["tweet_time"], row["tweetid"]))
    recrawl = dict(rows[40], like_count="99")
    return header, [*rows, recrawl]


def split_release(folder: Path, layout: str) -> list[Path]:
    header, rows = release_rows()
    base = "iran_202012_tweets_csv_hashed"
    return [
        write_csv(folder / f"{base}{suffix}.csv", header, part)
        for suffix, part in LAYOUTS[layout](rows)
    ]


@pytest.mark.parametrize("layout", list(LAYOUTS))
def test_parts_load_as_their_unsplit_release(
    engine: GraphEngine, tmp_path: Path, layout: str
) -> None:
    header, rows = release_rows()
    whole = load(engine, tmp_path, write_csv(tmp_path / "whole" / "t.csv", header, rows))
    expected, expected_counts = model(engine), graph_counts(engine)
    engine.run("MATCH (n) DETACH DELETE n")

    parts = split_release(tmp_path / "parts", layout)
    report = load(engine, tmp_path, *reversed(parts))  # named in any order
    assert [Path(f.name).name for f in report.files] == [p.name for p in parts]
    assert disclosure_files(engine) == ", ".join(p.name for p in parts)
    for total in ("rows_read", "loaded", "already_present", "rejected"):
        assert report.total(total) == whole.total(total), total
    assert graph_counts(engine) == expected_counts
    assert model(engine) == expected  # the first crawl kept, the later one quarantined

    again = load(engine, tmp_path, tmp_path / "parts")
    assert again.total("loaded") == 0 and again.reconciles
    assert model(engine) == expected


def test_parts_loaded_in_two_runs_are_one_release(engine: GraphEngine, tmp_path: Path) -> None:
    header, rows = release_rows()
    load(engine, tmp_path, write_csv(tmp_path / "whole" / "t.csv", header, rows))
    expected = model(engine)
    engine.run("MATCH (n) DETACH DELETE n")

    parts = split_release(tmp_path / "parts", "numbered")
    load(engine, tmp_path, *parts[:6])
    load(engine, tmp_path, *parts[6:])
    assert model(engine) == expected
    assert disclosure_files(engine) == ", ".join(p.name for p in parts)


def test_parts_come_in_natural_order_however_named(tmp_path: Path) -> None:
    names = [f"x_tweets_csv_hashed_{i}.csv" for i in (10, 2, 1, 12, 9)]
    for name in names:
        (tmp_path / name).write_text("x")
    expected = [f"x_tweets_csv_hashed_{i}.csv" for i in (1, 2, 9, 10, 12)]
    for specs in ([tmp_path], [str(tmp_path / "*.csv")], [tmp_path / n for n in names]):
        assert [Path(s.name).name for s in resolve_inputs(specs)] == expected


def test_the_file_list_keeps_earlier_parts_once_in_natural_order() -> None:
    earlier = "t_1.csv, t_10.csv"
    assert listed_files(["t_2.csv", "t_10.csv"], earlier) == "t_1.csv, t_2.csv, t_10.csv"
    assert listed_files(["b_part2", "b_part10", "a_2013"]) == "a_2013, b_part2, b_part10"


# -- one content, two copies ---------------------------------------------------------------------


def copies_folder(folder: Path) -> tuple[Path, Path]:
    """``release/x_tweets.csv`` beside ``release/x.zip`` holding it, and ``release/u.csv.gz``
    beside ``release/u.csv``: real bytes, the tweets file larger than what is compared first."""
    tweets = folder / "x_tweets.csv"
    tweets.parent.mkdir(parents=True)
    tweets.write_bytes(REAL_TWEETS.read_bytes())
    with zipfile.ZipFile(folder / "x.zip", "w", zipfile.ZIP_DEFLATED) as archive:
        archive.write(tweets, "x_tweets.csv")
    users = folder / "u.csv"
    users.write_bytes(REAL_USERS.read_bytes())
    (folder / "u.csv.gz").write_bytes(gzip.compress(users.read_bytes(), mtime=0))
    return tweets, users


def test_a_folder_reads_each_content_once_and_names_the_copy_skipped(
    engine: GraphEngine, tmp_path: Path
) -> None:
    tweets, users = copies_folder(tmp_path / "release")
    report = load(engine, tmp_path, tmp_path / "release")
    assert [s.message for s in report.skipped] == [
        f"skipped {tmp_path}/release/u.csv.gz: same content as {users} "
        f"({REAL_USERS.stat().st_size:,} bytes), read once",
        f"skipped {tmp_path}/release/x.zip!x_tweets.csv: same content as {tweets} "
        f"({REAL_TWEETS.stat().st_size:,} bytes), read once",
    ]
    assert [f.name for f in report.files] == [str(users), str(tweets)]
    assert disclosure_files(engine) == "u.csv, x_tweets.csv"
    counts, contents = graph_counts(engine), model(engine)

    engine.run("MATCH (n) DETACH DELETE n")
    single = load(engine, tmp_path, users, tweets)
    assert report.total("rows_read") == single.total("rows_read") == 744 + 408
    assert (report.total("loaded"), report.total("already_present")) == (
        single.total("loaded"),
        single.total("already_present"),
    )
    assert (graph_counts(engine), model(engine)) == (counts, contents)


def test_sameness_is_the_bytes_not_the_name_or_the_start(tmp_path: Path) -> None:
    """Copies are told apart by content: same name in two folders but other bytes, and same
    size and same first 64 KiB but one byte changed at the end, are both read."""
    data = REAL_TWEETS.read_bytes()
    changed = data[:-2] + (b"0" if data[-2:-1] != b"0" else b"1") + data[-1:]
    assert len(changed) == len(data) > 1 << 16
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "t.csv").write_bytes(data)
    (tmp_path / "b" / "t.csv").write_bytes(changed)
    (tmp_path / "b" / "other.csv").write_bytes(REAL_USERS.read_bytes())
    with gzip.open(tmp_path / "b" / "t2.csv.gz", "wb") as stream:
        stream.write(changed)
    inputs, skipped = distinct_contents(resolve_inputs([tmp_path]))
    assert sorted(Path(s.name).relative_to(tmp_path).as_posix() for s in inputs) == [
        "a/t.csv",
        "b/other.csv",
        "b/t.csv",
    ]
    assert [(s.name, s.same_as) for s in skipped] == [
        (f"{tmp_path}/b/t2.csv.gz", f"{tmp_path}/b/t.csv")
    ]


def test_a_gz_stored_in_a_zip_is_the_same_content_as_its_csv(tmp_path: Path) -> None:
    csv_file = tmp_path / "u.csv"
    csv_file.write_bytes(REAL_USERS.read_bytes())
    with zipfile.ZipFile(tmp_path / "r.zip", "w") as archive:
        archive.writestr("in/u.csv.gz", gzip.compress(csv_file.read_bytes(), mtime=0))
        archive.writestr(
            zipfile.ZipInfo("in/u_deflated.csv.gz"),
            gzip.compress(csv_file.read_bytes(), mtime=0),
            zipfile.ZIP_DEFLATED,
        )
    inputs, skipped = distinct_contents(resolve_inputs([tmp_path]))
    assert [s.name for s in inputs] == [str(csv_file)]
    assert sorted(re.sub(r".*!", "", s.name) for s in skipped) == [
        "in/u.csv.gz",
        "in/u_deflated.csv.gz",
    ]
