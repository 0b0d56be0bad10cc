"""A release's tweets as the input of QUT's coordination-network-toolkit (1.5.2).

Its ``compute_networks DB preprocess --format csv FILE`` reads these eight columns. The rows
come straight from the released files (csv module, not the graph), with the times infoops
uses: integer milliseconds from the time rule (``event_time_ms_of``), so a toolkit window is
``window * 1000`` and no comparison rounds. Shared by the parity test and bench_coordination.
"""

from __future__ import annotations

import ast
import csv
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path

from infoops.analysis.coordination.event_time import event_time_ms_of

TOOLKIT_COLUMNS = [
    "message_id",
    "user_id",
    "username",
    "repost_id",
    "reply_id",
    "message",
    "timestamp",
    "urls",
]
URLS = TOOLKIT_COLUMNS.index("urls")


def py_list(text: str) -> list[str]:
    """A released list cell ("['a', 'b']") as its items."""
    text = text.strip()
    if not text or text == "[]":
        return []
    return [str(item).strip() for item in ast.literal_eval(text) if str(item).strip()]


def toolkit_rows(release: Path) -> Iterator[list[object]]:
    """The released tweets of ``release`` (a folder) as the toolkit's rows, one at a time."""
    for path in sorted(release.glob("*_tweets_csv_hashed*.csv")):
        with path.open(encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                minute = datetime.strptime(row["tweet_time"], "%Y-%m-%d %H:%M")
                time_s = int(minute.replace(tzinfo=UTC).timestamp())
                yield [
                    row["tweetid"],
                    row["userid"],
                    row["user_screen_name"],
                    row["retweet_tweetid"],
                    row["in_reply_to_tweetid"],
                    row["tweet_text"],
                    event_time_ms_of(row["tweetid"], time_s),
                    " ".join(dict.fromkeys(py_list(row["urls"]))),
                ]


def write_toolkit_csv(rows: Iterable[list[object]], out: Path) -> int:
    """``rows`` as the toolkit's CSV file; how many rows were written."""
    written = 0
    with out.open("w", encoding="utf-8", newline="") as sink:
        writer = csv.writer(sink)
        writer.writerow(TOOLKIT_COLUMNS)
        for row in rows:
            writer.writerow(row)
            written += 1
    return written
