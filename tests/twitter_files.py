"""Write Twitter-archive CSV files for tests, in the exact published format (every field quoted)."""

from __future__ import annotations

import csv
import os
import subprocess
from pathlib import Path
from typing import Any

from infoops.loaders.twitter_io.columns import TWEET_COLUMNS as ALL_TWEET_COLUMNS
from infoops.loaders.twitter_io.columns import USER_COLUMNS

TWEET_COLUMNS = list(ALL_TWEET_COLUMNS)


def _find_samples() -> Path:
    """The real published files: $INFOOPS_SAMPLES, else a ``shared/samples`` folder beside the
    checkout or one of its parents (CI lays a copy of shared/ next to the clone), else beside
    the local checkout this one was cloned from (``git clone . /tmp/x`` to test a clean copy)."""
    if os.environ.get("INFOOPS_SAMPLES"):
        return Path(os.environ["INFOOPS_SAMPLES"])
    checkout = Path(__file__).resolve().parents[1]
    origin = _local_origin(checkout)
    for start in (checkout, origin):
        for folder in [start, *start.parents] if start else []:
            candidate = folder / "shared" / "samples"
            if candidate.is_dir():
                return candidate
    raise RuntimeError("cannot find shared/samples; set INFOOPS_SAMPLES to its path")


def _local_origin(checkout: Path) -> Path | None:
    """The folder of ``origin`` when it is a checkout on this machine (a path, not a URL)."""
    try:
        url = subprocess.run(
            ["git", "-C", str(checkout), "config", "--get", "remote.origin.url"],
            capture_output=True,
            text=True,
            check=False,
        ).stdout.strip()
    except OSError:
        return None
    path = Path(url.removeprefix("file://"))
    return path.resolve() if url and path.is_absolute() and path.is_dir() else None


SAMPLES = _find_samples()
REAL_USERS = SAMPLES / "twitter_io" / "china_082019_1_users_csv_hashed.csv"


def account(userid: str, screen_name: str | None = None, **extra: Any) -> dict[str, str]:
    values = {
        "userid": userid,
        "user_display_name": screen_name or userid,
        "user_screen_name": screen_name or userid,
        "user_reported_location": "",
        "user_profile_description": "",
        "user_profile_url": "",
        "follower_count": "0",
        "following_count": "3",
        "account_creation_date": "2019-11-02",
        "account_language": "zh-cn",
    }
    values.update({k: str(v) for k, v in extra.items()})
    return values


def tweet(tweetid: str, author: dict[str, str], **extra: Any) -> dict[str, str]:
    values = {name: "" for name in TWEET_COLUMNS}
    values.update(author)
    values.update(
        {
            "tweetid": tweetid,
            "tweet_language": "zh",
            "tweet_text": f"text of {tweetid}",
            "tweet_time": "2020-01-06 01:30",
            "tweet_client_name": "Twitter Web Client",
            "is_retweet": "False",
            "latitude": "absent",
            "longitude": "absent",
            "quote_count": "0.0",
            "reply_count": "0.0",
            "like_count": "1.0",
            "retweet_count": "0.0",
            "hashtags": "[]",
            "urls": "[]",
            "user_mentions": "[]",
        }
    )
    values.update({k: str(v) for k, v in extra.items()})
    return values


def write_csv(path: Path, columns: list[str], rows: list[dict[str, str]]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, columns, quoting=csv.QUOTE_ALL, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return path


def write_users(path: Path, accounts: list[dict[str, str]]) -> Path:
    return write_csv(path, list(USER_COLUMNS), accounts)


def write_tweets(path: Path, rows: list[dict[str, str]], columns: list[str] | None = None) -> Path:
    return write_csv(path, columns or TWEET_COLUMNS, rows)
