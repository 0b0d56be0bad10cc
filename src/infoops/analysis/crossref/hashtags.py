"""hashtags: the same hashtag (lower-cased, as the graph keys it) used in several disclosures."""

from __future__ import annotations

from infoops.analysis.crossref.context import CrossrefContext
from infoops.analysis.crossref.model import KindResult
from infoops.analysis.crossref.registry import register
from infoops.analysis.crossref.usage import shared_items


@register("hashtags", "Hashtags used in several disclosures (ignoring case)")
def shared_hashtags(ctx: CrossrefContext) -> KindResult:
    return KindResult("hashtags", "", shared_items(ctx, ctx.tables("hashtags")))
