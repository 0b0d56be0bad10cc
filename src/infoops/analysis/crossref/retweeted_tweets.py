"""retweeted_tweets: the same tweet retweeted in several disclosures (tweet ids are the same in
every release, whoever wrote the tweet)."""

from __future__ import annotations

from infoops.analysis.crossref.context import CrossrefContext
from infoops.analysis.crossref.model import KindResult
from infoops.analysis.crossref.registry import register
from infoops.analysis.crossref.usage import shared_items, uses_table


@register("retweeted_tweets", "Tweets retweeted in several disclosures")
def shared_retweeted_tweets(ctx: CrossrefContext) -> KindResult:
    uses = {}
    for disclosure, retweets in ctx.tables("retweets").items():
        uses[disclosure] = uses_table(retweets.column("original"), retweets.column("tweetid"))
    items = shared_items(ctx, uses)
    authors: dict[str, str | None] = {}
    for retweets in ctx.tables("retweets").values():
        authors.update(
            zip(
                retweets.column("original").to_pylist(),
                retweets.column("author").to_pylist(),
                strict=True,
            )
        )
    for item in items:
        item.detail["author"] = authors.get(item.key)
    return KindResult("retweeted_tweets", "", items)
