"""screen_names: the same unhashed screen name (ignoring case) in several disclosures, whoever
holds it, and renamed accounts: the same numeric id under different names."""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc

from infoops.analysis.crossref.accounts import account_uses, comparable_members, shared_accounts
from infoops.analysis.crossref.context import CrossrefContext
from infoops.analysis.crossref.model import KindResult, SharedItem
from infoops.analysis.crossref.registry import register
from infoops.analysis.crossref.usage import shared_items, sort_items, uses_table


def _named_uses(ctx: CrossrefContext, disclosure: str) -> tuple[pa.Table, pa.Table]:
    """(uses keyed by the lower-cased name of the tweet's author, the named members)."""
    members = comparable_members(ctx, disclosure)
    members = members.filter(pc.is_valid(members.column("screen_name")))
    members = members.append_column("key", pc.utf8_lower(members.column("screen_name")))
    tweets = account_uses(ctx, disclosure)
    joined = tweets.join(
        members.select(["userid", "key"]).rename_columns(["key", "name_key"]),
        "key",
        join_type="inner",
        use_threads=False,
    )
    return uses_table(joined.column("name_key"), joined.column("tweetid")), members


@register("screen_names", "Screen names in several disclosures, and renamed accounts")
def shared_screen_names(ctx: CrossrefContext) -> KindResult:
    uses, members = {}, {}
    for disclosure in ctx.disclosures:
        uses[disclosure], members[disclosure] = _named_uses(ctx, disclosure)
    items = shared_items(ctx, uses, {d: m.column("key") for d, m in members.items()})
    for item in items:
        item.detail["match"] = "screen_name"
        for disclosure, presence in item.presence.items():
            holders = members[disclosure].filter(
                pc.equal(members[disclosure].column("key"), item.key)
            )
            presence.detail["userids"] = holders.column("userid").to_pylist()
            presence.detail["screen_name"] = holders.column("screen_name").to_pylist()[0]
            presence.accounts = max(presence.accounts, holders.num_rows)
    return KindResult("screen_names", "", sort_items(items) + _renamed(ctx), [])


def _renamed(ctx: CrossrefContext) -> list[SharedItem]:
    """Accounts (numeric ids) whose screen names differ between disclosures."""
    items = [item for item in shared_accounts(ctx).items if item.detail["renamed"]]
    for item in items:
        item.detail = {"match": "renamed"}
    return items
