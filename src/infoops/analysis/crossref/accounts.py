"""accounts: the same numeric account released by several disclosures, with the screen name
each published (a rename shows as two names); uses are the account's tweets there."""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc

from infoops.analysis.crossref.context import CrossrefContext
from infoops.analysis.crossref.model import KindResult
from infoops.analysis.crossref.registry import register
from infoops.analysis.crossref.usage import shared_items, uses_table

HASHED_NOTE = "hashed accounts left out (not comparable across releases): {counts}"


def comparable_members(ctx: CrossrefContext, disclosure: str) -> pa.Table:
    """Released accounts of the disclosure whose id means the same in every release: numeric."""
    members = ctx.table("members", disclosure)
    numeric = pc.match_substring_regex(members.column("userid"), r"^[0-9]+$")
    plain = pc.and_(pc.invert(pc.fill_null(members.column("hashed"), False)), numeric)
    return members.filter(pc.fill_null(plain, False))


def hashed_note(ctx: CrossrefContext) -> str:
    counts = []
    for disclosure in ctx.disclosures:
        members = ctx.table("members", disclosure)
        hashed = len(members) - len(comparable_members(ctx, disclosure))
        counts.append(f"{disclosure}: {hashed}")
    return HASHED_NOTE.format(counts=", ".join(counts))


def account_uses(ctx: CrossrefContext, disclosure: str) -> pa.Table:
    tweets = ctx.table("tweets", disclosure)
    return uses_table(tweets.column("userid"), tweets.column("tweetid"))


@register("accounts", "Accounts released by several disclosures (numeric ids)")
def shared_accounts(ctx: CrossrefContext) -> KindResult:
    members = {d: comparable_members(ctx, d) for d in ctx.disclosures}
    uses = {d: account_uses(ctx, d) for d in ctx.disclosures}
    items = shared_items(ctx, uses, {d: m.column("userid") for d, m in members.items()})
    names = {
        d: dict(
            zip(m.column("userid").to_pylist(), m.column("screen_name").to_pylist(), strict=True)
        )
        for d, m in members.items()
    }
    for item in items:
        used = {}
        for disclosure, presence in item.presence.items():
            presence.accounts = 1
            used[disclosure] = names[disclosure].get(item.key)
            presence.detail["screen_name"] = used[disclosure]
        distinct = {name.lower() for name in used.values() if name}
        item.detail["renamed"] = len(distinct) > 1
    return KindResult("accounts", "", items, [hashed_note(ctx)])
