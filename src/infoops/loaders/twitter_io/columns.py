"""The columns of Twitter's information-operations archive, and recognising a file by header.

Column names are matched case- and separator-insensitively: the December 2021 releases write
``followerCount`` where earlier ones write ``follower_count``. A header name is reduced to its
letters and digits, lower-cased, and looked up among the known columns reduced the same way; a
name that matches none is kept as it was (lower-cased) and ignored by the loader, so a column the
archive never had (``userProfileBannerUrl``) never stands in for one it has (``userProfileUrl``).
"""

from __future__ import annotations

import re
from enum import Enum

from infoops.errors import InputFileError
from infoops.loaders.sources import printable

USER_COLUMNS = (
    "userid",
    "user_display_name",
    "user_screen_name",
    "user_reported_location",
    "user_profile_description",
    "user_profile_url",
    "follower_count",
    "following_count",
    "account_creation_date",
    "account_language",
)

# Read by name, never by position: the October 2018 files swap the two in_reply_to columns, and
# poll_choices is missing from 2020-05 Russia and the 2020-12 / 2021-12 files.
TWEET_REQUIRED = (
    "tweetid",
    *USER_COLUMNS,
    "tweet_language",
    "tweet_text",
    "tweet_time",
    "tweet_client_name",
    "in_reply_to_userid",
    "in_reply_to_tweetid",
    "quoted_tweet_tweetid",
    "is_retweet",
    "retweet_userid",
    "retweet_tweetid",
)
TWEET_OPTIONAL = (
    "latitude",
    "longitude",
    "quote_count",
    "reply_count",
    "like_count",
    "retweet_count",
    "hashtags",
    "urls",
    "user_mentions",
    "poll_choices",
)


# Every column of a tweets file in Twitter's published order (31 up to 2019; later files lack
# poll_choices). Writers (the synthetic generator, tests) use this order; readers go by name.
TWEET_COLUMNS = (*TWEET_REQUIRED, *TWEET_OPTIONAL)


# What separates words in a column name: _ in snake_case, nothing in camelCase, and the spaces
# or hyphens of a hand-made export.
_SEPARATORS = re.compile(r"[\s_-]+")


def _folded(name: str) -> str:
    return _SEPARATORS.sub("", name.strip()).lower()


# Every known column folds to a name of its own (tests/unit/test_release_layouts.py checks it).
_KNOWN_BY_FOLDED = {_folded(column): column for column in TWEET_COLUMNS}
_KNOWN = frozenset(TWEET_COLUMNS)  # the users columns are among them


def canonical_column(name: str) -> str:
    """The archive's snake_case name for a header name in any case or separator style
    (``followerCount``, ``Follower Count`` -> ``follower_count``); a name that is not one of the
    archive's columns comes back stripped and lower-cased, as it always did."""
    return _KNOWN_BY_FOLDED.get(_folded(name), name.strip().lower())


def canonical_columns(header: list[str]) -> list[str]:
    """``canonical_column`` of every name of a header, in order (the names the reader gives
    the columns it reads)."""
    return [canonical_column(name) for name in header]


class FileKind(Enum):
    USERS = "users"
    TWEETS = "tweets"


def classify_header(name: str, header: list[str]) -> FileKind:
    """Decide users vs tweets from the header; a one-line error names what is missing."""
    shown = [printable(column) for column in header]  # names from the file: never raw in a message
    canonical = canonical_columns(header)
    _refuse_doubled_columns(name, header, canonical)
    columns = set(canonical)
    if "tweetid" in columns or "tweet_text" in columns:
        missing = [c for c in TWEET_REQUIRED if c not in columns]
        if missing:
            raise InputFileError(
                f"{name}: tweets file has no column {', '.join(missing)}; found: {', '.join(shown)}"
            )
        return FileKind.TWEETS
    if "userid" in columns and "user_screen_name" in columns:
        missing = [c for c in USER_COLUMNS if c not in columns]
        if missing:
            raise InputFileError(
                f"{name}: users file has no column {', '.join(missing)}; found: {', '.join(shown)}"
            )
        return FileKind.USERS
    first = ", ".join(shown[:8]) + (", ..." if len(shown) > 8 else "")
    raise InputFileError(
        f"{name}: not a Twitter information-operations users or tweets file "
        "(expected columns such as userid, user_screen_name or tweetid, tweet_text; "
        f"found: {first})"
    )


def _refuse_doubled_columns(name: str, header: list[str], canonical: list[str]) -> None:
    """Two header names for one known column (``follower_count`` and ``followerCount``): which
    one holds the values cannot be told, so the file is refused rather than read either way."""
    first_of: dict[str, str] = {}
    for raw, column in zip(header, canonical, strict=True):
        if column not in _KNOWN:
            continue
        if column in first_of:
            raise InputFileError(
                f"{name}: columns {printable(first_of[column])} and {printable(raw)} both name "
                f"{column}; keep one of them"
            )
        first_of[column] = raw
