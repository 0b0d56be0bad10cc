"""indicators: a platform's published indicators (Meta's threat indicators) found in another
disclosure: the same indicator published by both, or a domain, URL or account the indicator
names (its NAMES edges) or whose value it is (for things loaded after the indicators, which no
NAMES edge reaches) used by the other disclosure's tweets. A domain indicator also matches its
subdomains. Uses in a disclosure are the tweets linking to the matched domains or URLs or
posted by the matched accounts."""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc

from infoops.analysis.crossref.accounts import account_uses, comparable_members
from infoops.analysis.crossref.context import CrossrefContext
from infoops.analysis.crossref.model import KindResult, Presence, SharedItem
from infoops.analysis.crossref.registry import register
from infoops.analysis.crossref.usage import presences, sort_items, uses_table

_MATCH_COLUMNS = ["id", "label", "key", "via"]


def _published(ctx: CrossrefContext) -> pa.Table:
    """Every indicator any compared disclosure publishes: id, type, value, raw, disclosure."""
    parts = []
    for disclosure in ctx.disclosures:
        table = ctx.table("indicators", disclosure)
        parts.append(
            table.append_column("disclosure", pa.array([disclosure] * table.num_rows, pa.string()))
        )
    return pa.concat_tables(parts)


def _named(ctx: CrossrefContext) -> pa.Table:
    """(id, label, key, via) of every NAMES edge of the published indicators."""
    parts = []
    for disclosure in ctx.disclosures:
        for label in ("Domain", "Url", "Account"):
            table = ctx.table(f"names:{label}", disclosure)
            parts.append(_matches(table.column("id"), label, table.column("key"), "NAMES"))
    return pa.concat_tables(parts)


def _matches(ids: object, label: str, keys: object, via: str) -> pa.Table:
    ids_array = pc.cast(ids, pa.string())
    n = len(ids_array)
    return pa.table(
        {
            "id": ids_array,
            "label": pa.array([label] * n, pa.string()),
            "key": pc.cast(keys, pa.string()),
            "via": pa.array([via] * n, pa.string()),
        }
    )


def _entity_uses(ctx: CrossrefContext, disclosure: str) -> dict[str, pa.Table]:
    """Per label, the disclosure's uses (key, tweetid): domains and URLs linked, accounts'
    tweets (numeric ids; the lower-cased screen name as key of ``Name``)."""
    members = comparable_members(ctx, disclosure)
    tweets = account_uses(ctx, disclosure)
    names = members.filter(pc.is_valid(members.column("screen_name")))
    by_name = tweets.join(
        pa.table(
            {"key": names.column("userid"), "name": pc.utf8_lower(names.column("screen_name"))}
        ),
        "key",
        join_type="inner",
        use_threads=False,
    )
    account_keys = pa.concat_tables(
        [tweets, uses_table(members.column("userid"), pa.nulls(members.num_rows, pa.string()))]
    )
    return {
        "Domain": ctx.table("domains", disclosure),
        "Url": ctx.table("urls", disclosure),
        "Account": account_keys,
        "Name": pa.concat_tables(
            [
                uses_table(by_name.column("name"), by_name.column("tweetid")),
                uses_table(
                    pc.utf8_lower(names.column("screen_name")),
                    pa.nulls(names.num_rows, pa.string()),
                ),
            ]
        ),
    }


def _by_value(published: pa.Table, entities: dict[str, pa.Table]) -> pa.Table:
    """Indicators whose value is a domain (or a parent of one), URL, account id or screen name
    that the disclosure uses."""
    value = pc.utf8_lower(pc.utf8_trim_whitespace(published.column("value")))
    ids = published.column("id")
    parts = []
    for label, table in entities.items():
        keys = pc.unique(pc.drop_null(table.column("key")))
        wanted = pc.utf8_ltrim(value, "@") if label == "Name" else value
        hit = pc.is_in(
            wanted, value_set=pc.utf8_lower(keys) if label in ("Domain", "Url") else keys
        )
        hit = pc.fill_null(hit, False)
        parts.append(_matches(ids.filter(hit), label, wanted.filter(hit), "value"))
    parts.append(_subdomains(ids, value, entities["Domain"]))
    return pa.concat_tables(parts)


def _subdomains(ids: pa.ChunkedArray, value: pa.ChunkedArray, domains: pa.Table) -> pa.Table:
    """(indicator, subdomain) pairs: a domain the disclosure uses ending in ``.<value>``."""
    used = pc.unique(pc.drop_null(domains.column("key"))).to_pylist()
    parents: dict[str, list[str]] = {}
    for domain in used:
        labels = domain.split(".")
        for i in range(1, len(labels) - 1):
            parents.setdefault(".".join(labels[i:]), []).append(domain)
    rows_id, rows_key = [], []
    for indicator, text in zip(ids.to_pylist(), value.to_pylist(), strict=True):
        for domain in parents.get(text or "", []):
            rows_id.append(indicator)
            rows_key.append(domain)
    return _matches(
        pa.array(rows_id, pa.string()), "Domain", pa.array(rows_key, pa.string()), "subdomain"
    )


@register("indicators", "Published indicators found in other disclosures")
def shared_indicators(ctx: CrossrefContext) -> KindResult:
    published = _published(ctx)
    if not published.num_rows:
        return KindResult("indicators", "", [], ["none of these disclosures publishes indicators"])
    named = _named(ctx)
    by_id: dict[str, dict[str, Presence]] = {}
    for disclosure in ctx.disclosures:
        for indicator in ctx.table("indicators", disclosure).to_pylist():
            detail = {"published": True, "raw": indicator["raw"]}
            by_id.setdefault(indicator["id"], {})[disclosure] = Presence(
                0, 0, None, None, [], detail
            )
        for indicator_id, presence in _found_in(ctx, disclosure, published, named).items():
            mine = by_id.setdefault(indicator_id, {})
            if disclosure in mine:  # its own indicator, also used by its own content
                presence.detail = {**mine[disclosure].detail, **presence.detail}
            mine[disclosure] = presence
    about = {row["id"]: row for row in published.to_pylist()}
    items = [
        SharedItem(key, presence, {"type": about[key]["type"], "value": about[key]["value"]})
        for key, presence in by_id.items()
        if len(presence) > 1
    ]
    return KindResult("indicators", "", sort_items(items))


def _found_in(
    ctx: CrossrefContext, disclosure: str, published: pa.Table, named: pa.Table
) -> dict[str, Presence]:
    """The published indicators the disclosure's content matches, each with its uses there
    and what matched (``matched``: the domains, URLs, accounts; ``via``: how)."""
    entities = _entity_uses(ctx, disclosure)
    found = pa.concat_tables([named, _by_value(published, entities)])
    joined = []
    for label, table in entities.items():
        here = found.filter(pc.equal(found.column("label"), label))
        joined.append(here.join(table, "key", join_type="inner", use_threads=False))
    hits = pa.concat_tables(joined)
    if not hits.num_rows:
        return {}
    ids = pc.unique(hits.column("id"))
    uses = uses_table(hits.column("id"), hits.column("tweetid"))
    found_here = presences(uses, ctx.table("tweets", disclosure), ids, ctx.evidence)
    for row in hits.select(["id", "label", "key", "via"]).to_pylist():
        detail = found_here[row["id"]].detail
        detail.setdefault("matched", [])
        detail.setdefault("via", [])
        entry = f"{row['label'].lower()}:{row['key']}"
        if entry not in detail["matched"]:
            detail["matched"].append(entry)
        if row["via"] not in detail["via"]:
            detail["via"].append(row["via"])
    return found_here
