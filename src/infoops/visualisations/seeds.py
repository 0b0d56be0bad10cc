"""Where a view starts: an account given as a userid or ``@screen_name``, a tweet id, or, for a
demo or a first look, the most amplified account and the most retweeted tweet."""

from __future__ import annotations

from infoops.engines.base import GraphEngine
from infoops.errors import NotFoundError, ViewError

ACCOUNT_BY_ID_CYPHER = "MATCH (a:Account {userid: $userid}) RETURN a.userid AS userid"
ACCOUNTS_BY_NAME_CYPHER = (
    "MATCH (a:Account) WHERE a.screen_name_lc = $name "
    "RETURN a.userid AS userid, a.screen_name AS screen_name ORDER BY a.userid"
)
TWEET_BY_ID_CYPHER = "MATCH (t:Tweet {tweetid: $tweetid}) RETURN t.tweetid AS tweetid"
# External accounts have no screen name in the files: their name is in the "RT @name:" prefix
# of the retweets of their tweets. A scan of retweets, used only when the name lookup fails.
ACCOUNT_BY_RETWEET_PREFIX_CYPHER = (
    "MATCH (r:Tweet)-[:RETWEET_OF]->(o:Tweet) "
    "WHERE r.is_retweet = true AND o.userid IS NOT NULL AND lower(r.text) STARTS WITH $prefix "
    "RETURN o.userid AS userid, count(*) AS retweets ORDER BY retweets DESC, userid LIMIT 5"
)
MOST_AMPLIFIED_CYPHER = (
    "MATCH (b:Account)-[r:AMPLIFIED]->(a:Account) WHERE a.in_disclosure = $released "
    "RETURN a.userid AS userid, sum(r.count) AS retweets ORDER BY retweets DESC, userid LIMIT 1"
)
MOST_RETWEETED_CYPHER = (
    "MATCH (t:Tweet)-[:RETWEET_OF]->(o:Tweet) WHERE o.in_disclosure = $released "
    "RETURN o.tweetid AS tweetid, count(t) AS retweets ORDER BY retweets DESC, tweetid LIMIT 1"
)


def statements() -> list[tuple[str, str]]:
    return [
        ("view-account-by-id", ACCOUNT_BY_ID_CYPHER),
        ("view-accounts-by-name", ACCOUNTS_BY_NAME_CYPHER),
        ("view-tweet-by-id", TWEET_BY_ID_CYPHER),
        ("view-account-by-retweet-prefix", ACCOUNT_BY_RETWEET_PREFIX_CYPHER),
        ("view-most-amplified", MOST_AMPLIFIED_CYPHER),
        ("view-most-retweeted", MOST_RETWEETED_CYPHER),
    ]


def resolve_account(engine: GraphEngine, ref: str, notes: list[str] | None = None) -> str:
    """The userid of ``ref``: a userid, or ``@screen_name`` (case-insensitive).

    A bare name that is not a userid is tried as a screen name too, so ``StateNewsCN`` works.
    Accounts outside the release have no screen name in the files; for them the name is looked
    up in the ``RT @name:`` prefix of retweets, and a line saying so is added to ``notes``.
    """
    text = ref.strip()
    if not text or text == "@":
        raise ViewError("give an account as a userid or @screen_name")
    if not text.startswith("@") and engine.run(ACCOUNT_BY_ID_CYPHER, {"userid": text}).rows:
        return text
    name = text.removeprefix("@")
    matches = [
        str(row[0]) for row in engine.run(ACCOUNTS_BY_NAME_CYPHER, {"name": name.lower()}).rows
    ]
    # "@handle" userids are the loader's placeholders for retweets without a retweet_userid
    real = [userid for userid in matches if not userid.startswith("@")]
    if len(real) == 1:
        return real[0]
    if len(real) > 1:
        raise ViewError(
            f"@{name} names {len(real)} accounts ({', '.join(real[:10])}); give the userid instead"
        )
    found = _by_retweet_prefix(engine, name)
    if found is not None:
        userid, retweets = found
        if notes is not None:
            notes.append(
                f"@{name} is not a screen name in the files; resolved from retweet texts: "
                f"{retweets:,} retweets starting 'RT @{name}:' point at userid {userid}."
            )
        return userid
    if matches:
        return matches[0]
    tried = f"screen name @{name}" if text.startswith("@") else f"userid or screen name {text!r}"
    raise NotFoundError(
        f"no account with {tried} in the graph, nor any retweet of one (RT @{name}:); "
        "give a userid (it is in the tooltip of any view that shows the account)"
    )


def _by_retweet_prefix(engine: GraphEngine, name: str) -> tuple[str, int] | None:
    rows = engine.run(ACCOUNT_BY_RETWEET_PREFIX_CYPHER, {"prefix": f"rt @{name.lower()}:"}).rows
    for userid, retweets in rows:
        if not str(userid).startswith("@"):
            return str(userid), int(retweets)
    return None


def resolve_tweet(engine: GraphEngine, tweetid: str) -> str:
    text = tweetid.strip()
    if not text:
        raise ViewError("give a tweet id")
    if not engine.run(TWEET_BY_ID_CYPHER, {"tweetid": text}).rows:
        raise NotFoundError(f"no tweet with id {text!r} in the graph")
    return text


def most_amplified_account(engine: GraphEngine, *, released: bool | None = None) -> str | None:
    """The account that received the most retweets (None on a graph without AMPLIFIED edges).

    ``released=True`` looks only at accounts in a release, ``False`` only at external ones
    (state media, typically); ``None`` takes the larger of the two.
    """
    return _top(engine, MOST_AMPLIFIED_CYPHER, "userid", released)


def most_retweeted_tweet(engine: GraphEngine, *, released: bool | None = None) -> str | None:
    """The tweet with the most retweets in the graph (None when nothing was retweeted)."""
    return _top(engine, MOST_RETWEETED_CYPHER, "tweetid", released)


def _top(engine: GraphEngine, cypher: str, key: str, released: bool | None) -> str | None:
    choices = [True, False] if released is None else [released]
    best: tuple[int, str] | None = None
    for flag in choices:
        for row in engine.run(cypher, {"released": flag}).records():
            candidate = (int(row["retweets"] or 0), str(row[key]))
            if best is None or candidate[0] > best[0]:
                best = candidate
    return None if best is None else best[1]
