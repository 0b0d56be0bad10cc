"""Near-identical texts between two sets of texts, without comparing every pair.

Texts are normalised (lower case, links and @mentions removed, whitespace collapsed) and cut
into word bigrams (shingles); the similarity of two texts is the Jaccard index of their shingle
sets. Candidates come from prefix filtering (Chaudhuri et al., "A primitive operator for
similarity joins", 2006), which is exact: order every set's shingles from rarest to commonest;
two sets with Jaccard >= t must share a shingle among the first ``|x| - ceil(t * |x|) + 1`` of
each. Those prefixes hold the rare shingles, so joining them on the shingle yields few pairs,
and the Jaccard index of every candidate is then computed exactly. Nothing is sampled (unlike
MinHash), so no pair above the threshold is missed. All of it is Arrow and numpy.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

MIN_WORDS = 5  # shorter texts ("good morning") say nothing about copying
_LINKS = r"(https?://|www\.)\S*"
_MENTIONS = r"@\w+"


def normalise(texts: pa.Array | pa.ChunkedArray) -> pa.Array:
    """Lower case, without links and @mentions, whitespace collapsed to single spaces."""
    lowered = pc.utf8_lower(texts)
    bare = pc.replace_substring_regex(lowered, _LINKS, " ")
    bare = pc.replace_substring_regex(bare, _MENTIONS, " ")
    # Runs of whitespace split once; only leading and trailing ones leave empty words.
    words = pc.utf8_split_whitespace(pc.utf8_trim_whitespace(bare))
    joined = pc.binary_join(words, " ")
    return joined.combine_chunks() if isinstance(joined, pa.ChunkedArray) else joined


@dataclass
class Shingled:
    """Distinct texts of one side as shingle sets: ``doc`` and ``token`` columns, one row per
    distinct (document, shingle), documents numbered as in ``texts``."""

    texts: pa.Array
    doc: np.ndarray
    token: np.ndarray


def _bigrams(texts: pa.Array) -> tuple[np.ndarray, pa.Array]:
    """(document of each bigram, the bigram) of texts of at least MIN_WORDS words."""
    words = pc.utf8_split_whitespace(texts)
    lengths = np.asarray(
        pc.fill_null(pc.list_value_length(words), 0).to_numpy(zero_copy_only=False)
    )
    flat = pc.list_flatten(words)
    parent = np.asarray(pc.list_parent_indices(words).to_numpy(zero_copy_only=False))
    if len(flat) < 2:
        return np.zeros(0, np.int64), pa.array([], pa.string())
    same = (parent[1:] == parent[:-1]) & (lengths[parent[1:]] >= MIN_WORDS)
    at = np.flatnonzero(same)
    first = flat.take(pa.array(at))
    second = flat.take(pa.array(at + 1))
    return parent[at].astype(np.int64), pc.binary_join_element_wise(first, second, " ")


def shingle(sides: list[pa.Array]) -> list[Shingled]:
    """Shingle sets of several sides, with shingle codes common to all of them."""
    cut = [_bigrams(texts) for texts in sides]
    everything = pa.chunked_array([grams for _, grams in cut], pa.string()).combine_chunks()
    encoded = pc.dictionary_encode(everything)
    n_tokens = max(1, len(encoded.dictionary))
    token = np.asarray(encoded.indices.to_numpy(zero_copy_only=False), np.int64)
    out, start = [], 0
    for texts, (doc, grams) in zip(sides, cut, strict=True):
        mine = token[start : start + len(grams)]
        start += len(grams)
        # One row per distinct (document, shingle), ordered by document then shingle.
        pairs = np.unique(doc * n_tokens + mine)
        out.append(Shingled(texts, pairs // n_tokens, pairs % n_tokens))
    return out


def _prefixes(
    side: Shingled, frequency: np.ndarray, threshold: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(doc, token) of every document's prefix, and each document's set size."""
    sizes = (
        np.bincount(side.doc, minlength=len(side.texts))
        if len(side.doc)
        else np.zeros(len(side.texts), np.int64)
    )
    if not len(side.doc):
        return side.doc, side.token, sizes
    order = np.lexsort((side.token, frequency[side.token], side.doc))
    doc, token = side.doc[order], side.token[order]
    starts = np.searchsorted(doc, doc, side="left")
    rank = np.arange(len(doc)) - starts
    size = sizes[doc]
    prefix = size - np.ceil(threshold * size - 1e-9).astype(np.int64) + 1
    keep = rank < prefix
    return doc[keep], token[keep], sizes


def similar_pairs(left: Shingled, right: Shingled, threshold: float) -> pa.Table:
    """Pairs (left doc, right doc, similarity) with Jaccard >= ``threshold`` (0 < t <= 1)."""
    empty = pa.table(
        {
            "left": pa.array([], pa.int64()),
            "right": pa.array([], pa.int64()),
            "similarity": pa.array([], pa.float64()),
        }
    )
    if not len(left.doc) or not len(right.doc):
        return empty
    n_tokens = int(max(left.token.max(), right.token.max())) + 1
    frequency = np.bincount(left.token, minlength=n_tokens) + np.bincount(
        right.token, minlength=n_tokens
    )
    l_doc, l_token, l_size = _prefixes(left, frequency, threshold)
    r_doc, r_token, r_size = _prefixes(right, frequency, threshold)
    joined = pa.table({"token": l_token, "left": l_doc}).join(
        pa.table({"token": r_token, "right": r_doc}), "token", join_type="inner", use_threads=False
    )
    if not joined.num_rows:
        return empty
    left_doc = np.asarray(joined.column("left").to_numpy(), np.int64)
    right_doc = np.asarray(joined.column("right").to_numpy(), np.int64)
    n_right = len(right.texts)
    codes = np.unique(left_doc * n_right + right_doc)
    a, b = codes // n_right, codes % n_right
    # Jaccard is at most the ratio of the smaller set to the larger.
    fits = np.minimum(l_size[a], r_size[b]) >= threshold * np.maximum(l_size[a], r_size[b]) - 1e-9
    a, b = a[fits], b[fits]
    overlap = _overlaps(left, right, a, b, n_tokens)
    similarity = overlap / (l_size[a] + r_size[b] - overlap)
    keep = similarity >= threshold - 1e-9
    return pa.table({"left": a[keep], "right": b[keep], "similarity": similarity[keep]})


def _overlaps(
    left: Shingled, right: Shingled, a: np.ndarray, b: np.ndarray, n_tokens: int
) -> np.ndarray:
    """Shared shingles of each candidate pair (a[i], b[i]), columnar: every shingle of the left
    document is looked up among the right document's."""
    if not len(a):
        return np.zeros(0, np.float64)
    l_start = np.searchsorted(left.doc, np.arange(len(left.texts) + 1))
    counts = l_start[a + 1] - l_start[a]
    pair = np.repeat(np.arange(len(a)), counts)
    offsets = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts, counts)
    tokens = left.token[np.repeat(l_start[a], counts) + offsets]
    right_keys = right.doc * n_tokens + right.token  # sorted: right is ordered by (doc, token)
    wanted = b[pair] * n_tokens + tokens
    at = np.searchsorted(right_keys, wanted)
    hit = (at < len(right_keys)) & (right_keys[np.minimum(at, len(right_keys) - 1)] == wanted)
    return np.bincount(pair[hit], minlength=len(a)).astype(np.float64)


def threshold_ok(value: float) -> bool:
    return 0.0 < value <= 1.0 and not math.isnan(value)
