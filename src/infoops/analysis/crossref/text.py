"""text: near-identical original texts (not retweets) in two disclosures, with their similarity:
the Jaccard index of the word-bigram sets of the normalised texts (similarity.py). Each item is
one pair of distinct normalised texts; its uses are the tweets posting each."""

from __future__ import annotations

from itertools import combinations

import pyarrow as pa
import pyarrow.compute as pc

from infoops.analysis.crossref.context import CrossrefContext
from infoops.analysis.crossref.model import KindResult, SharedItem
from infoops.analysis.crossref.registry import register
from infoops.analysis.crossref.similarity import MIN_WORDS, normalise, shingle, similar_pairs
from infoops.analysis.crossref.usage import presences, uses_table


@register("text", "Near-identical texts in several disclosures")
def shared_text(ctx: CrossrefContext) -> KindResult:
    uses, distinct, samples = {}, {}, {}
    for disclosure in ctx.disclosures:
        texts = ctx.table("texts", disclosure)
        normalised = normalise(texts.column("text"))
        uses[disclosure] = uses_table(normalised, texts.column("tweetid"))
        distinct[disclosure] = pc.unique(normalised)
        samples[disclosure] = texts
    shingled = dict(zip(ctx.disclosures, shingle(list(distinct.values())), strict=True))
    items: list[SharedItem] = []
    for left, right in combinations(ctx.disclosures, 2):
        pairs = similar_pairs(shingled[left], shingled[right], ctx.min_similarity)
        if not pairs.num_rows:
            continue
        left_texts = distinct[left].take(pairs.column("left")).to_pylist()
        right_texts = distinct[right].take(pairs.column("right")).to_pylist()
        found = {
            side: presences(
                uses[side],
                ctx.table("tweets", side),
                pa.array(sorted(set(keys)), pa.string()),
                ctx.evidence,
            )
            for side, keys in ((left, left_texts), (right, right_texts))
        }
        for a, b, score in zip(
            left_texts, right_texts, pairs.column("similarity").to_pylist(), strict=True
        ):
            presence = {left: found[left][a], right: found[right][b]}
            items.append(SharedItem(a, presence, {"similarity": round(score, 4)}))
    _add_samples(items, samples)
    items.sort(
        key=lambda item: (
            -item.detail["similarity"],
            -sum(p.uses for p in item.presence.values()),
            item.key,
        )
    )
    note = (
        f"original tweets only (not retweets); texts lower-cased, links and @mentions removed; "
        f"similarity = Jaccard index of word bigrams, at least {ctx.min_similarity}; texts of "
        f"fewer than {MIN_WORDS} words are not compared"
    )
    return KindResult("text", "", items, [note])


def _add_samples(items: list[SharedItem], texts: dict[str, pa.Table]) -> None:
    """Each side's text as its first evidence tweet wrote it."""
    for disclosure, table in texts.items():
        firsts = [
            item.presence[disclosure].evidence[0].tweetid
            for item in items
            if disclosure in item.presence and item.presence[disclosure].evidence
        ]
        rows = table.filter(
            pc.is_in(table.column("tweetid"), value_set=pa.array(firsts, pa.string()))
        )
        written = dict(
            zip(rows.column("tweetid").to_pylist(), rows.column("text").to_pylist(), strict=True)
        )
        for item in items:
            presence = item.presence.get(disclosure)
            if presence is not None and presence.evidence:
                presence.detail["text"] = written.get(presence.evidence[0].tweetid)
