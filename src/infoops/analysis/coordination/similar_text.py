"""co-similar-tweet: pairs of tweets within the window whose token sets are similar enough.

Every two non-retweets within the window are candidates (the window sweep with one object for
all); a candidate is kept when the toolkit's Jaccard similarity of the two token sets is at
least the threshold, computed as its command line does (``MinDocSizeSimilarity(1)``: a tweet
without tokens is similar to nothing, score 0). Most candidates are settled in columnar code:
the same token set scores 1, and Jaccard can never exceed the ratio of the smaller set's size to
the larger's, so pairs below the threshold by size are dropped before any set is compared; the
rest are compared once per distinct pair of token sets.
"""

from __future__ import annotations

import numpy as np

from infoops.analysis.coordination.windowed_pairs import CodedEvents, PairFilter


def jaccard(tokens_a: str, tokens_b: str) -> float:
    """The toolkit's similarity of two token strings (0 when either has no token)."""
    a, b = set(tokens_a.split()), set(tokens_b.split())
    if not a or not b:
        return 0.0
    return len(a & b) / len(a | b)


def similarity_filter(events: CodedEvents, objects: list[str], threshold: float) -> PairFilter:
    """A pair filter keeping candidates (event i, event j) with ``jaccard >= threshold``;
    ``objects``: the token string of each object code."""
    sets = [frozenset(text.split()) for text in objects]
    sizes = np.array([len(tokens) for tokens in sets], np.int64)
    scores: dict[tuple[int, int], bool] = {}

    def keep(i: np.ndarray, j: np.ndarray) -> np.ndarray:
        a, b = events.obj[i], events.obj[j]
        size_a, size_b = sizes[a], sizes[b]
        empty = (size_a == 0) | (size_b == 0)
        larger = np.maximum(np.maximum(size_a, size_b), 1)
        bound = np.minimum(size_a, size_b) / larger  # Jaccard's ceiling, rounded as it is
        same = (a == b) & ~empty
        open_ = ~empty & ~same & (bound >= threshold)
        kept = (empty & (threshold <= 0.0)) | (same & (threshold <= 1.0))
        if open_.any():
            at = np.flatnonzero(open_)
            low, high = np.minimum(a[at], b[at]), np.maximum(a[at], b[at])
            distinct, back = np.unique(low * len(sets) + high, return_inverse=True)
            verdict = np.empty(len(distinct), bool)
            for n, code in enumerate(distinct.tolist()):
                pair = divmod(code, len(sets))
                if pair not in scores:
                    x, y = sets[pair[0]], sets[pair[1]]
                    scores[pair] = len(x & y) / len(x | y) >= threshold
                verdict[n] = scores[pair]
            kept[at] = verdict[back]
        return np.asarray(kept, dtype=bool)

    return keep
