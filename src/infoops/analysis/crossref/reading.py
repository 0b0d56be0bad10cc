"""What crossref reads of one disclosure, as Arrow tables: one portable statement each.

Every statement starts from the disclosure's IN_DISCLOSURE edges, so only what the disclosure
itself released counts: a tweet's hashtags, links and retweet target, an account's screen
name as that disclosure published it (the IN_DISCLOSURE edge's ``screen_name``; the Account
node's for a graph loaded before the edge had it).
"""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc

from infoops.engines.base import GraphEngine

# An open selection (it ends in WITH): the Cypher linter knows it for a piece of statements.
_TWEETS_OF = "MATCH (t:Tweet)-[:IN_DISCLOSURE]->(:Disclosure {id: $disclosure}) WITH t "

TWEETS = _TWEETS_OF + "RETURN t.tweetid AS tweetid, t.userid AS userid, t.time_s AS time_s"
ORIGINAL_TEXTS = (
    _TWEETS_OF + "WHERE t.text IS NOT NULL AND (t.is_retweet IS NULL OR t.is_retweet = false) "
    "RETURN t.tweetid AS tweetid, t.text AS text"
)
MEMBERS = (
    "MATCH (a:Account)-[r:IN_DISCLOSURE]->(:Disclosure {id: $disclosure}) "
    "RETURN a.userid AS userid, a.hashed AS hashed, "
    "coalesce(r.screen_name, a.screen_name) AS screen_name"
)
# Edges of every tweet, read once and cut per disclosure by its tweet ids: joined inside the
# engine with the disclosure's IN_DISCLOSURE edges instead, a million tweets filled Ladybug's
# page cache (512 MiB); scans of one relationship table each do not.
HASHTAGS = "MATCH (t:Tweet)-[:TAGGED]->(h:Hashtag) RETURN t.tweetid AS tweetid, h.tag AS key"
URLS = "MATCH (t:Tweet)-[:LINKS_TO]->(u:Url) RETURN t.tweetid AS tweetid, u.url AS key"
URL_DOMAINS = "MATCH (u:Url)-[:ON_DOMAIN]->(d:Domain) RETURN u.url AS url, d.name AS key"
RETWEETS = (
    "MATCH (t:Tweet)-[:RETWEET_OF]->(o:Tweet) "
    "RETURN t.tweetid AS tweetid, o.tweetid AS original, o.userid AS author"
)
INDICATORS = (
    "MATCH (i:Indicator)-[:IN_DISCLOSURE]->(:Disclosure {id: $disclosure}) "
    "RETURN i.id AS id, i.type AS type, i.value AS value, i.raw AS raw"
)
# Read once for the whole graph (no $disclosure), then cut per disclosure.
WHOLE_GRAPH = frozenset({"hashtags", "urls", "url_domains", "retweets"})
# What each indicator names, one statement per label (the label's key as ``key``).
INDICATOR_NAMES = {
    label: "MATCH (i:Indicator)-[:IN_DISCLOSURE]->(:Disclosure {id: $disclosure}) "
    f"MATCH (i)-[:NAMES]->(n:{label}) RETURN i.id AS id, n.{key} AS key"
    for label, key in (("Domain", "name"), ("Url", "url"), ("Account", "userid"))
}
DISCLOSURES = "MATCH (d:Disclosure) RETURN d.id AS id ORDER BY id"

_SCHEMAS: dict[str, dict[str, pa.DataType]] = {
    "tweets": {"tweetid": pa.string(), "userid": pa.string(), "time_s": pa.int64()},
    "texts": {"tweetid": pa.string(), "text": pa.string()},
    "members": {"userid": pa.string(), "hashed": pa.bool_(), "screen_name": pa.string()},
    "tagged": {"tweetid": pa.string(), "key": pa.string()},
    "retweets": {"tweetid": pa.string(), "original": pa.string(), "author": pa.string()},
    "url_domains": {"url": pa.string(), "key": pa.string()},
    "indicators": {
        "id": pa.string(),
        "type": pa.string(),
        "value": pa.string(),
        "raw": pa.string(),
    },
    "names": {"id": pa.string(), "key": pa.string()},
}
_STATEMENTS: dict[str, tuple[str, str]] = {
    "tweets": (TWEETS, "tweets"),
    "texts": (ORIGINAL_TEXTS, "texts"),
    "members": (MEMBERS, "members"),
    "hashtags": (HASHTAGS, "tagged"),
    "urls": (URLS, "tagged"),
    "url_domains": (URL_DOMAINS, "url_domains"),
    "retweets": (RETWEETS, "retweets"),
    "indicators": (INDICATORS, "indicators"),
    **{f"names:{label}": (cypher, "names") for label, cypher in INDICATOR_NAMES.items()},
}


def statements() -> list[tuple[str, str]]:
    """Every statement this package sends, for the Cypher linter."""
    return [(f"crossref:{name}", cypher) for name, (cypher, _) in _STATEMENTS.items()] + [
        ("crossref:disclosures", DISCLOSURES)
    ]


def read(engine: GraphEngine, what: str, disclosure: str | None) -> pa.Table:
    """One of the tables above, for ``disclosure`` (None: a WHOLE_GRAPH table), typed as its
    schema says (an empty result has no column types of its own)."""
    cypher, schema_name = _STATEMENTS[what]
    raw = engine.run_table(cypher, {} if disclosure is None else {"disclosure": disclosure})
    schema = _SCHEMAS[schema_name]
    columns = {}
    for name, kind in schema.items():
        if raw.num_rows:
            columns[name] = pc.cast(raw.column(name), kind)
        else:
            columns[name] = pa.array([], kind)
    return pa.table(columns)


def loaded_disclosures(engine: GraphEngine) -> list[str]:
    return [str(row[0]) for row in engine.run(DISCLOSURES).rows]
