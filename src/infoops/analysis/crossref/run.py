"""One crossref: the disclosures checked, each asked-for kind computed in the registry's order."""

from __future__ import annotations

import importlib
from collections.abc import Sequence

from infoops.analysis.crossref.context import (
    DEFAULT_EVIDENCE,
    DEFAULT_MIN_SIMILARITY,
    CrossrefContext,
)
from infoops.analysis.crossref.model import CrossrefReport
from infoops.analysis.crossref.reading import loaded_disclosures
from infoops.analysis.crossref.registry import KIND_MODULES, KIND_NAMES, KINDS
from infoops.engines.base import GraphEngine
from infoops.errors import CrossrefError, DisclosureNotFoundError


def parse_kinds(text: str | Sequence[str] | None) -> list[str]:
    """Kinds from ``--by`` (comma-separated, or a list), in the report's order; all when None."""
    if text is None:
        return list(KIND_NAMES)
    names = text.split(",") if isinstance(text, str) else list(text)
    wanted = {name.strip().lower() for name in names if name.strip()}
    unknown = sorted(wanted - set(KIND_NAMES))
    if unknown or not wanted:
        raise CrossrefError(
            f"unknown crossref kind {', '.join(unknown) or '(none given)'}; "
            f"choose from {', '.join(KIND_NAMES)}"
        )
    return [name for name in KIND_NAMES if name in wanted]


def crossref(
    engine: GraphEngine,
    disclosures: Sequence[str],
    kinds: str | Sequence[str] | None = None,
    *,
    min_similarity: float = DEFAULT_MIN_SIMILARITY,
    evidence: int = DEFAULT_EVIDENCE,
) -> CrossrefReport:
    """What ``disclosures`` (two or more, loaded) share, per kind, with evidence."""
    chosen = parse_kinds(kinds)
    compared = list(dict.fromkeys(disclosures))
    if len(compared) < 2:
        raise CrossrefError("crossref compares at least two different disclosures")
    if not 0.0 < min_similarity <= 1.0:
        raise CrossrefError(f"--min-similarity must be above 0 and at most 1, got {min_similarity}")
    if evidence < 0:
        raise CrossrefError(f"--evidence must be 0 or more, got {evidence}")
    loaded = loaded_disclosures(engine)
    missing = [d for d in compared if d not in loaded]
    if missing:
        raise DisclosureNotFoundError(
            f"no disclosure {', '.join(missing)} is loaded; loaded: {', '.join(loaded) or 'none'}"
        )
    ctx = CrossrefContext(engine, compared, min_similarity, evidence)
    results = []
    for name in chosen:
        importlib.import_module(f"infoops.analysis.crossref.{KIND_MODULES[name]}")
        kind = KINDS[name]
        result = kind.compute(ctx)
        result.title = kind.title
        results.append(result)
    return CrossrefReport(compared, results)
