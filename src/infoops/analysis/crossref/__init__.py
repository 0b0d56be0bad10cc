"""Cross-reference disclosures: what several disclosures share, per kind, how strongly and with
the evidence rows (``infoops crossref``)::

    from infoops.analysis.crossref import crossref

    report = crossref(engine, ["twitter-2019-08-china", "twitter-2020-06-china"])
    for kind in report.kinds:
        print(kind.kind, len(kind.items))

One module per kind (``accounts``, ``screen_names``, ``hashtags``, ``urls``, ``domains``,
``retweeted_accounts``, ``retweeted_tweets``, ``text``, ``indicators``), registered by name in
``registry``; ``usage`` holds the columnar core they share, ``similarity`` the near-identical
text join, ``reading`` the statements, ``model`` the report. Hashed user ids are never matched
across disclosures (each release salts them). What computes is imported on first use: the CLI
imports this package for ``KIND_NAMES`` as it starts.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from infoops.analysis.crossref.registry import KIND_NAMES
from infoops.lazy_exports import lazy_getattr

if TYPE_CHECKING:
    from infoops.analysis.crossref.context import DEFAULT_EVIDENCE, DEFAULT_MIN_SIMILARITY
    from infoops.analysis.crossref.model import (
        HASHED_IDS_NOTE,
        CrossrefReport,
        KindResult,
        Presence,
        SharedItem,
    )
    from infoops.analysis.crossref.run import crossref, parse_kinds

__all__ = [
    "DEFAULT_EVIDENCE",
    "DEFAULT_MIN_SIMILARITY",
    "HASHED_IDS_NOTE",
    "KIND_NAMES",
    "CrossrefReport",
    "KindResult",
    "Presence",
    "SharedItem",
    "crossref",
    "parse_kinds",
]

__getattr__ = lazy_getattr(
    __name__,
    globals(),
    {
        "context": ("DEFAULT_EVIDENCE", "DEFAULT_MIN_SIMILARITY"),
        "model": ("HASHED_IDS_NOTE", "CrossrefReport", "KindResult", "Presence", "SharedItem"),
        "run": ("crossref", "parse_kinds"),
    },
)
