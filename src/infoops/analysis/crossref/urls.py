"""urls: the same URL linked from tweets of several disclosures."""

from __future__ import annotations

from infoops.analysis.crossref.context import CrossrefContext
from infoops.analysis.crossref.model import KindResult
from infoops.analysis.crossref.registry import register
from infoops.analysis.crossref.usage import shared_items


@register("urls", "URLs linked from several disclosures")
def shared_urls(ctx: CrossrefContext) -> KindResult:
    return KindResult("urls", "", shared_items(ctx, ctx.tables("urls")))
