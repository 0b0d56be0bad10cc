"""domains: the same domain (lower-cased, without www.) linked from several disclosures, through
the same URLs or different ones."""

from __future__ import annotations

from infoops.analysis.crossref.context import CrossrefContext
from infoops.analysis.crossref.model import KindResult
from infoops.analysis.crossref.registry import register
from infoops.analysis.crossref.usage import shared_items


@register("domains", "Domains linked from several disclosures")
def shared_domains(ctx: CrossrefContext) -> KindResult:
    return KindResult("domains", "", shared_items(ctx, ctx.tables("domains")))
