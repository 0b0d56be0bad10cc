"""The 21 columns of the Clemson / FiveThirtyEight IRA tweets files, and recognising one.

The files are read with the Twitter archive's readers (twitter_io/reader.py), which name the
columns by ``canonical_column``: every 538 name stays as written (lower-cased) except
``tweet_id``, which is Twitter's ``tweetid``. ``COLUMN`` says under which name each is read.
"""

from __future__ import annotations

from infoops.errors import InputFileError
from infoops.loaders.sources import printable
from infoops.loaders.twitter_io.columns import FileKind, canonical_column

IRA538_COLUMNS = (
    "external_author_id",
    "author",
    "content",
    "region",
    "language",
    "publish_date",
    "harvested_date",
    "following",
    "followers",
    "updates",
    "post_type",
    "account_type",
    "retweet",
    "account_category",
    "new_june_2018",
    "alt_external_id",
    "tweet_id",
    "article_url",
    "tco1_step1",
    "tco2_step1",
    "tco3_step1",
)
# What the loader reads of them; the rest (external_author_id, float-damaged; region,
# harvested_date, updates, new_june_2018, article_url: the tweet's own address) has no place in
# the graph model and is not kept.
REQUIRED = (
    "author",
    "content",
    "language",
    "publish_date",
    "following",
    "followers",
    "post_type",
    "account_type",
    "retweet",
    "account_category",
    "alt_external_id",
    "tweet_id",
    "tco1_step1",
    "tco2_step1",
    "tco3_step1",
)
LINK_COLUMNS = ("tco1_step1", "tco2_step1", "tco3_step1")
COLUMN = {name: canonical_column(name) for name in IRA538_COLUMNS}
KIND = "tweets"


def classify_ira538_header(name: str, header: list[str]) -> FileKind:
    """A 538 file is a file of tweets; a one-line error names what a header lacks."""
    found = {canonical_column(column) for column in header}
    if "alt_external_id" not in found or "account_category" not in found:
        shown = ", ".join(printable(column) for column in header[:8])
        raise InputFileError(
            f"{name}: not a Clemson / FiveThirtyEight IRA tweets file (expected columns such "
            f"as author, content, alt_external_id, account_category; found: {shown}"
            f"{', ...' if len(header) > 8 else ''})"
        )
    missing = [column for column in REQUIRED if COLUMN[column] not in found]
    if missing:
        raise InputFileError(f"{name}: IRA tweets file has no column {', '.join(missing)}")
    return FileKind.TWEETS
