"""Twitter's information-operations archive as the load pipeline sees it (loaders/pipeline.py).

Users files load before tweets files: a retweet with an empty ``retweet_userid`` is resolved
from its ``RT @name:`` prefix against the accounts already known.
"""

from __future__ import annotations

from infoops.loaders.source_format import SourceFormat, SourceKind
from infoops.loaders.twitter_io.columns import FileKind
from infoops.loaders.twitter_io.graph_writer import GraphWriter
from infoops.loaders.twitter_io.reader import (
    read_chunks_exact,
    read_chunks_fast,
    recognise,
)
from infoops.loaders.twitter_io.records import parse_tweets_chunk, parse_users_chunk

TWITTER = SourceFormat(
    platform="twitter",
    recognise=recognise,
    kinds=(
        SourceKind(FileKind.USERS.value, parse_users_chunk, GraphWriter.write_users),
        SourceKind(FileKind.TWEETS.value, parse_tweets_chunk, GraphWriter.write_tweets),
    ),
    read_fast=read_chunks_fast,
    read_exact=read_chunks_exact,
    writer=GraphWriter,
)
