"""The coordination methods, one entry each: what a tweet's object is and which tweets count.

Adding a method is one ``Method`` in ``METHODS``: ``events`` reads its events with the entry's
pattern, the CLI makes a subcommand of it, and evidence explains its edges. Only text here (the
CLI imports it at start).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from infoops.errors import CoordinationError


class Tweets(StrEnum):
    """Which tweets carry a method's events. As the toolkit: a tweet with a retweet target is a
    retweet, whatever its ``is_retweet`` column says."""

    retweets = "retweets"
    originals = "originals"  # every tweet that is not a retweet (replies and quotes too)
    every = "every"


class ObjectKind(StrEnum):
    node = "node"  # a key of the node the pattern binds to ``o``
    text = "text"  # the tweet's text, normalised as the toolkit's message_preprocessor does
    similar = "similar"  # the tweet's token set, compared by Jaccard similarity
    none = "none"  # no object: any two tweets (co-post)


@dataclass(frozen=True)
class Method:
    name: str  # as typed on the command line and stored in COORDINATED_WITH.method
    summary: str
    tweets: Tweets
    kind: ObjectKind
    # Cypher that follows ``MATCH (t:Tweet)`` and binds the object node ``o``; with
    # ``object_key``, the property of ``o`` that is the object.
    pattern: str = ""
    object_key: str = ""
    toolkit: str | None = None  # the toolkit's network name, where it has the method


METHODS: dict[str, Method] = {
    method.name: method
    for method in (
        Method(
            "co-retweet",
            "the same tweet retweeted",
            Tweets.retweets,
            ObjectKind.node,
            "MATCH (t)-[:RETWEET_OF]->(o:Tweet)",
            "tweetid",
            "co_retweet",
        ),
        Method(
            "co-tweet",
            "the same text (lower-cased, @mentions removed, spaces collapsed)",
            Tweets.originals,
            ObjectKind.text,
            toolkit="co_tweet",
        ),
        Method(
            "co-similar-tweet",
            "near-duplicate text: word-set Jaccard similarity at least the threshold",
            Tweets.originals,
            ObjectKind.similar,
            toolkit="co_similar_tweet",
        ),
        Method(
            "co-reply",
            "replies to the same tweet",
            Tweets.originals,
            ObjectKind.node,
            "MATCH (t)-[:REPLY_TO]->(o:Tweet)",
            "tweetid",
            "co_reply",
        ),
        Method(
            "co-link",
            "the same URL (retweets' URLs are the original's and do not count)",
            Tweets.originals,
            ObjectKind.node,
            "MATCH (t)-[:LINKS_TO]->(o:Url)",
            "url",
            "co_link",
        ),
        Method(
            "co-domain",
            "a URL on the same domain",
            Tweets.originals,
            ObjectKind.node,
            "MATCH (t)-[:LINKS_TO]->(:Url)-[:ON_DOMAIN]->(o:Domain)",
            "name",
        ),
        Method(
            "co-hashtag",
            "the same hashtag (case-folded)",
            Tweets.originals,
            ObjectKind.node,
            "MATCH (t)-[:TAGGED]->(o:Hashtag)",
            "tag",
        ),
        Method(
            "co-mention",
            "a mention of the same account",
            Tweets.originals,
            ObjectKind.node,
            "MATCH (t)-[:MENTIONS]->(o:Account)",
            "userid",
        ),
        Method(
            "co-post",
            "any two tweets (the baseline: the most two accounts can be linked by timing alone)",
            Tweets.every,
            ObjectKind.none,
            toolkit="co_post",
        ),
    )
}

DEFAULT_SIMILARITY = 0.8  # the toolkit's default --similarity_threshold


def get_method(name: str) -> Method:
    try:
        return METHODS[name]
    except KeyError:
        known = ", ".join(METHODS)
        raise CoordinationError(f"unknown coordination method {name!r}; known: {known}") from None
