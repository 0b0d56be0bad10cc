"""How well one partition of accounts agrees with another (found clusters against a known
answer, such as the synthetic generator's truth file).

Normalised mutual information with the arithmetic mean of the two entropies, the normalisation
scikit-learn uses by default (``normalized_mutual_info_score``): 1 for the same partition under
any renaming, 0 for independent ones. Written with numpy, which infoops has anyway.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence

import numpy as np


def normalized_mutual_information(first: Sequence[Hashable], second: Sequence[Hashable]) -> float:
    """NMI of two labelings of the same items (labels are any hashable values, None included)."""
    if len(first) != len(second):
        raise ValueError(f"labelings of {len(first)} and {len(second)} items")
    if not first:
        return 1.0
    rows = _codes(first)
    columns = _codes(second)
    counts = np.zeros((rows.max() + 1, columns.max() + 1))
    np.add.at(counts, (rows, columns), 1)
    joint = counts / counts.sum()
    p_first, p_second = joint.sum(axis=1), joint.sum(axis=0)
    nonzero = joint > 0
    mutual = float(
        (joint[nonzero] * np.log(joint[nonzero] / np.outer(p_first, p_second)[nonzero])).sum()
    )
    entropies = _entropy(p_first) + _entropy(p_second)
    if entropies == 0:  # both put everything in one group: they agree
        return 1.0
    return max(0.0, 2.0 * mutual / entropies)


def _codes(labels: Sequence[Hashable]) -> np.ndarray:
    index: dict[Hashable, int] = {}
    return np.array([index.setdefault(label, len(index)) for label in labels])


def _entropy(p: np.ndarray) -> float:
    p = p[p > 0]
    return float(-(p * np.log(p)).sum())
