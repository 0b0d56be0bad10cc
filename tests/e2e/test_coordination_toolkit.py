"""Parity with QUT's coordination-network-toolkit (1.5.2, its own command line), edge for edge.

A small synthetic release (plus a file of planted replies: the generator's replies never share
a target, and co-reply must not pass by having no edges) is written in the toolkit's preprocess
CSV straight from the released files, with the times infoops uses (``tests/toolkit_input.py``).
The toolkit computes each network with ``compute_networks`` in a process of its own; infoops
loads the same files on each engine, computes the same methods and stores them; the stored
edges and weights must be exactly the toolkit's (its export drops loops).

Two workarounds of the toolkit, named here so nobody mistakes them for infoops behaviour:
- its CSV export (``--output_format csv``) fails in 1.5.2 (``output_gephi_csv() got an
  unexpected keyword argument 'n_messages'``): the networks are read from its GraphML export;
- its CSV preprocessing splits an empty ``urls`` cell into one URL ``''``, so every tweet
  without a link would "share" the empty URL in co_link: co_link gets a database of its own
  made of the rows that have URLs (the only rows whose URLs co_link reads anyway).
"""

from __future__ import annotations

import csv
import subprocess
import sys
import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from pathlib import Path

import pytest

from infoops.analysis.coordination.event_time import SNOWFLAKE_EPOCH_MS
from infoops.analysis.coordination.network import compute_network
from infoops.analysis.coordination.store import stored_edges
from infoops.engines import GraphEngine
from infoops.loaders.twitter_io import load_twitter
from infoops.synthetic import TWEETS_HEADER, SynthConfig, generate_disclosure
from toolkit_input import URLS, toolkit_rows, write_toolkit_csv

TOOLKIT = Path(sys.executable).with_name("compute_networks")
# (infoops method, toolkit network, window s, min weight, extra toolkit arguments)
CASES = [
    ("co-retweet", "co_retweet", 60, 2, []),
    ("co-tweet", "co_tweet", 600, 1, []),
    ("co-reply", "co_reply", 120, 1, []),
    ("co-link", "co_link", 600, 2, []),
    ("co-similar-tweet", "co_similar_tweet", 600, 2, ["--similarity_threshold", "0.8"]),
]
GRAPHML = "{http://graphml.graphdrawing.org/xmlns}"


def planted_replies(release: Path) -> list[dict[str, str]]:
    """Replies by six accounts to the same five originals, within minutes of each other.
    One replier's ids are not snowflakes (its times fall back to tweet_time's minute)."""
    rows = []
    with next(release.glob("*_tweets_csv_hashed.csv")).open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    originals = [r for r in rows if r["is_retweet"] == "False" and not r["in_reply_to_tweetid"]]
    by_user: dict[str, dict[str, str]] = {}
    for row in originals:
        by_user.setdefault(row["userid"], row)
    repliers = list(by_user.values())[:6]
    targets = originals[-5:]
    planted = []
    for n, target in enumerate(targets):
        base = int(datetime(2020, 2, 1 + n, 10, 0, tzinfo=UTC).timestamp())
        for k, template in enumerate(repliers):
            second = base + 37 * k + 11 * n  # gaps of 37 s: windows of 60 and 120 s differ
            if k == 5:
                tweetid = str(9_100_000_000 + 10 * n + k)  # an old-style id: not a snowflake
            else:
                tweetid = str(((second * 1000 + 123 - SNOWFLAKE_EPOCH_MS) << 22) | (4000 + k))
            planted.append(
                template
                | {
                    "tweetid": tweetid,
                    "tweet_text": f"@{target['user_screen_name']} reply {n}-{k}",
                    "tweet_time": datetime.fromtimestamp(second, UTC).strftime("%Y-%m-%d %H:%M"),
                    "in_reply_to_tweetid": target["tweetid"],
                    "in_reply_to_userid": target["userid"],
                    "quoted_tweet_tweetid": "",
                    "is_retweet": "False",
                    "retweet_userid": "",
                    "retweet_tweetid": "",
                    "hashtags": "[]",
                    "urls": "[]",
                    "user_mentions": f"['{target['userid']}']",
                }
            )
    return planted


def run_toolkit(*args: str | Path) -> None:
    done = subprocess.run(
        [str(TOOLKIT), *map(str, args)], capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, done.stderr[-2000:]


def read_graphml(path: Path) -> dict[tuple[str, str], int]:
    root = ET.parse(path).getroot()
    keys = {key.get("id"): key.get("attr.name") for key in root.iter(f"{GRAPHML}key")}
    edges = {}
    for edge in root.iter(f"{GRAPHML}edge"):
        data = {keys[d.get("key")]: d.text for d in edge.iter(f"{GRAPHML}data")}
        edges[(str(edge.get("source")), str(edge.get("target")))] = int(str(data["weight"]))
    return edges


@pytest.fixture(scope="module")
def release(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("release")
    generate_disclosure(folder, SynthConfig(accounts=300, tweets=5000))
    replies = planted_replies(folder)
    with (folder / "synth_2020_tweets_csv_hashed_replies.csv").open(
        "w", encoding="utf-8", newline=""
    ) as fh:
        writer = csv.DictWriter(fh, fieldnames=list(TWEETS_HEADER), quoting=csv.QUOTE_ALL)
        writer.writeheader()
        writer.writerows(replies)
    return folder


@pytest.fixture(scope="module")
def toolkit_networks(
    release: Path, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, dict[tuple[str, str], int]]:
    work = tmp_path_factory.mktemp("toolkit")
    rows = list(toolkit_rows(release))
    with_links = [row for row in rows if row[URLS]]
    for name, part in (("all", rows), ("links", with_links)):
        write_toolkit_csv(part, work / f"{name}.csv")
        run_toolkit(work / f"{name}.db", "preprocess", "--format", "csv", work / f"{name}.csv")
    networks = {}
    for method, network, window_s, min_weight, extra in CASES:
        db = work / ("links.db" if network == "co_link" else "all.db")
        run_toolkit(
            db,
            "compute",
            network,
            "--time_window",
            str(window_s * 1000),  # the CSV's times are milliseconds
            "--min_edge_weight",
            str(min_weight),
            "--n_cpus",
            "2",
            *extra,
        )
        out = work / f"{network}.graphml"
        run_toolkit(db, "export_network", out, network, "--output_format", "graphml")
        networks[method] = read_graphml(out)
    return networks


@pytest.fixture
def loaded(engine: GraphEngine, release: Path) -> GraphEngine:
    report = load_twitter(engine, [release], "synth-parity")
    assert report.total("loaded") > 0
    return engine


def test_the_same_edges_and_weights_as_the_toolkit(
    loaded: GraphEngine, toolkit_networks: dict[str, dict[tuple[str, str], int]]
) -> None:
    for method, _network, window_s, min_weight, extra in CASES:
        threshold = float(extra[1]) if extra else 0.8
        run = compute_network(loaded, method, window_s, min_weight, threshold=threshold)
        stored = stored_edges(loaded, method, window_s)
        ours = {(r["src"], r["dst"]): r["weight"] for r in stored.to_pylist()}
        theirs = toolkit_networks[method]
        assert theirs, f"the toolkit found no {method} edge: the comparison would prove nothing"
        assert len(ours) == run.written
        assert ours == theirs, (
            f"{method}: {len(ours)} edges here, {len(theirs)} in the toolkit; differing: "
            f"{sorted(set(ours.items()) ^ set(theirs.items()))[:6]}"
        )
