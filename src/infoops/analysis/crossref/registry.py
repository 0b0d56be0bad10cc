"""The kinds of overlap crossref knows, one module each, registered by name.

Light on purpose (no numpy, no engine): the CLI reads ``KIND_NAMES`` for its help as it starts.
A kind module registers its function with ``@register(name, title)``; ``run`` imports them all.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from infoops.analysis.crossref.context import CrossrefContext
    from infoops.analysis.crossref.model import KindResult

# The order of the report, and of --by's help.
KIND_NAMES: tuple[str, ...] = (
    "accounts",
    "screen_names",
    "hashtags",
    "urls",
    "domains",
    "retweeted_accounts",
    "retweeted_tweets",
    "text",
    "indicators",
)
# Each kind's module under infoops.analysis.crossref (imported when the kind is first used).
KIND_MODULES: dict[str, str] = {name: name for name in KIND_NAMES}

KindFunction = Callable[["CrossrefContext"], "KindResult"]


@dataclass(frozen=True)
class Kind:
    name: str
    title: str
    compute: KindFunction


KINDS: dict[str, Kind] = {}


def register(name: str, title: str) -> Callable[[KindFunction], KindFunction]:
    if name not in KIND_NAMES:
        raise ValueError(f"crossref kind {name!r} is not in KIND_NAMES")

    def decorate(compute: KindFunction) -> KindFunction:
        KINDS[name] = Kind(name, title, compute)
        return compute

    return decorate
