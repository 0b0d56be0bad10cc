"""The columns of Twitter's information-operations archive, and recognising a file by header."""

from __future__ import annotations

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


class FileKind(Enum):
    USERS = "users"
    TWEETS = "tweets"


def classify_header(name: str, header: list[str]) -> FileKind:
    """Decide users vs tweets from the header; a one-line error names what is missing."""
    columns = {column.strip().lower() for column in header}
    shown = [printable(column) for column in header]  # names from the file: never raw in a message
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
