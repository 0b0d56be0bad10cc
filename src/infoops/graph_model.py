"""The graph model of infoops, declared once: every layer reads it (engines turn it into their
DDL in engines/schema.py, loaders stage rows of it, views and transfers walk it).

Keys are always strings: Twitter ids are 18-19 digits and hashes are base64 text, and both are
destroyed by float parsing. Times are stored twice, as ISO text for people and as epoch seconds
(``*_s``) for portable Cypher: integer comparison works the same on both engines, date functions
do not.
"""

from __future__ import annotations

from dataclasses import dataclass

STRING, INT, FLOAT, BOOL = "STRING", "INT64", "DOUBLE", "BOOLEAN"


@dataclass(frozen=True)
class NodeSpec:
    label: str
    key: str
    properties: tuple[tuple[str, str], ...]  # (name, type), key first

    @property
    def property_names(self) -> list[str]:
        return [name for name, _ in self.properties]


@dataclass(frozen=True)
class RelSpec:
    type: str
    endpoints: tuple[tuple[str, str], ...]  # (from label, to label); several = a relationship group
    properties: tuple[tuple[str, str], ...] = ()

    @property
    def property_names(self) -> list[str]:
        return [name for name, _ in self.properties]


_COUNTED = (("count", INT), ("first", STRING), ("last", STRING), ("first_s", INT), ("last_s", INT))

NODES: tuple[NodeSpec, ...] = (
    NodeSpec(
        "Disclosure",
        "id",
        (
            ("id", STRING),
            ("platform", STRING),
            ("name", STRING),
            ("released", STRING),
            ("source", STRING),
            ("loaded_at", STRING),
            ("load_stage", STRING),  # journal of a load being written (loaders/load_journal.py)
            ("load_step", INT),
        ),
    ),
    NodeSpec(
        "Account",
        "userid",
        (
            ("userid", STRING),
            ("screen_name", STRING),
            (
                "screen_name_lc",
                STRING,
            ),  # lower-cased, for case-insensitive look-ups on both engines
            ("display_name", STRING),
            ("hashed", BOOL),
            ("in_disclosure", BOOL),
            ("location", STRING),
            ("description", STRING),
            ("url", STRING),
            ("followers", INT),
            ("following", INT),
            ("created_at", STRING),
            ("created_s", INT),
            ("language", STRING),
            ("cluster", INT),
            ("kcore", INT),
            ("role", STRING),
            # A hash of the loaded content (loaders/twitter_io/records.py): a later load tells
            # an exact copy of the account from a conflicting one without reading it back.
            # Last, as in a database made before it existed (Ladybug appends it there).
            ("fingerprint", STRING),
            # The Clemson / FiveThirtyEight IRA set's own labels of an account (RightTroll,
            # HashtagGamer...; Russian, Right...): kept as published, null for other sources.
            ("account_category", STRING),
            ("account_type", STRING),
        ),
    ),
    NodeSpec(
        "Tweet",
        "tweetid",
        (
            ("tweetid", STRING),
            ("userid", STRING),  # author, denormalised so cascades need no extra hop
            ("text", STRING),
            ("time", STRING),
            ("time_s", INT),
            ("lang", STRING),
            ("client", STRING),
            ("likes", INT),
            ("retweets", INT),
            ("replies", INT),
            ("quotes", INT),
            ("is_retweet", BOOL),
            ("in_disclosure", BOOL),
            ("latitude", FLOAT),
            ("longitude", FLOAT),
            ("poll_choices", STRING),
            ("fingerprint", STRING),  # as Account.fingerprint
        ),
    ),
    NodeSpec("Hashtag", "tag", (("tag", STRING), ("spelling", STRING))),
    NodeSpec("Url", "url", (("url", STRING),)),
    NodeSpec("Domain", "name", (("name", STRING),)),
    NodeSpec(
        "Indicator",
        "id",
        (
            ("id", STRING),  # "<type>:<value>": the same indicator in two disclosures is one node
            ("type", STRING),  # domain_name, cib_url, ... or the kill-chain Procedure
            ("value", STRING),  # re-fanged and normalised (example.com, https://...)
            ("raw", STRING),  # as published (example[.]com, hxxp://...)
            ("comment", STRING),  # the comment or Note column
            ("tactic", STRING),  # kill-chain layout only
            ("technique", STRING),
            ("published", STRING),  # the ds column
        ),
    ),
)

RELS: tuple[RelSpec, ...] = (
    RelSpec("POSTED", (("Account", "Tweet"),)),
    RelSpec(
        "IN_DISCLOSURE",
        (("Account", "Disclosure"), ("Tweet", "Disclosure"), ("Indicator", "Disclosure")),
        # An account's screen name as this disclosure published it (null for tweets and
        # indicators): the Account node keeps the first name seen, so a renamed account (the
        # same numeric id under another name in a later release) shows only here.
        (("screen_name", STRING),),
    ),
    RelSpec("RETWEET_OF", (("Tweet", "Tweet"),)),
    RelSpec("REPLY_TO", (("Tweet", "Tweet"),)),
    RelSpec("QUOTES", (("Tweet", "Tweet"),)),
    RelSpec("MENTIONS", (("Tweet", "Account"),)),
    RelSpec("TAGGED", (("Tweet", "Hashtag"),)),
    RelSpec("LINKS_TO", (("Tweet", "Url"),)),
    RelSpec("ON_DOMAIN", (("Url", "Domain"),)),
    # What an indicator names, when the graph has it: a domain, a URL or an account.
    RelSpec("NAMES", (("Indicator", "Domain"), ("Indicator", "Url"), ("Indicator", "Account"))),
    RelSpec("AMPLIFIED", (("Account", "Account"),), _COUNTED),
    RelSpec("REPLIED_TO", (("Account", "Account"),), _COUNTED),
    RelSpec("MENTIONED", (("Account", "Account"),), _COUNTED),
    RelSpec(
        "COORDINATED_WITH",
        (("Account", "Account"),),
        (("weight", FLOAT), ("window_s", INT), ("method", STRING)),
    ),
)

NODE_SPECS: dict[str, NodeSpec] = {spec.label: spec for spec in NODES}
REL_SPECS: dict[str, RelSpec] = {spec.type: spec for spec in RELS}
NODE_KEYS: dict[str, str] = {spec.label: spec.key for spec in NODES}
