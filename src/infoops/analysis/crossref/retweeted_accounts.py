"""retweeted_accounts: the same account retweeted in several disclosures, through the same tweets
or different ones. Only authors with numeric ids (or a handle the release gave without an id):
a hashed author is only comparable inside its own release."""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc

from infoops.analysis.crossref.context import CrossrefContext
from infoops.analysis.crossref.model import KindResult
from infoops.analysis.crossref.registry import register
from infoops.analysis.crossref.usage import shared_items, uses_table


def plain_authors(ctx: CrossrefContext, authors: pa.ChunkedArray) -> pa.Array:
    """Which authors are comparable across releases: accounts whose ``hashed`` is false
    (numeric ids, and handles the release gave without an id)."""
    distinct = pc.unique(pc.drop_null(authors)).to_pylist()
    flags = ctx.engine.lookup("Account", distinct, ["hashed"])
    plain = [userid for userid, (hashed,) in flags.items() if hashed is False]
    return pc.fill_null(pc.is_in(authors, value_set=pa.array(plain, pa.string())), False)


@register("retweeted_accounts", "Accounts retweeted in several disclosures")
def shared_retweeted_accounts(ctx: CrossrefContext) -> KindResult:
    uses, originals = {}, {}
    for disclosure, retweets in ctx.tables("retweets").items():
        kept = retweets.filter(plain_authors(ctx, retweets.column("author")))
        uses[disclosure] = uses_table(kept.column("author"), kept.column("tweetid"))
        counted = kept.group_by("author", use_threads=False).aggregate(
            [("original", "count_distinct")]
        )
        originals[disclosure] = dict(
            zip(
                counted.column("author").to_pylist(),
                counted.column("original_count_distinct").to_pylist(),
                strict=True,
            )
        )
    items = shared_items(ctx, uses)
    for item in items:
        for disclosure, presence in item.presence.items():
            presence.detail["tweets_retweeted"] = originals[disclosure].get(item.key, 0)
    return KindResult("retweeted_accounts", "", items)
