"""Tooltip details as a page carries them: every text once, referred to by its number.

A view's details repeat themselves: every account's facts are named alike ("userid", "role",
"released in", ...), and many values recur (a disclosure, a cluster, a creation day, an
example tweet several accounts posted). Written out whole, the 10k-node benchmark page held
6.2 MB of details; the browser parses all of it before the page is done, after the network
is drawn. Numbered, the same details take 2.6 MB. The page's script turns the numbers back into
text (``network.js``: ``describe``); ``expanded`` does the same here, for tests and exports.

Layout: ``{"text": [text, ...], "nodes": {id: entry}, "edges": {id: entry}}``, an entry being
``[caption, [name, value, name, value, ...], [example, ...]]`` with every text a number; an
edge's caption is ``[source label, target label, kind]``, shown as "source → target (kind)".
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


class TextNumbers:
    """Numbers texts in the order first seen; the same text gets the same number."""

    def __init__(self) -> None:
        self._numbers: dict[str, int] = {}

    def __call__(self, text: object) -> int:
        key = "" if text is None else str(text)
        return self._numbers.setdefault(key, len(self._numbers))

    def facts(self, pairs: Sequence[tuple[object, object]]) -> list[int]:
        return [self(part) for pair in pairs for part in pair]

    @property
    def texts(self) -> list[str]:
        return list(self._numbers)


def expanded(details: dict[str, Any]) -> dict[str, dict[str, list[Any]]]:
    """The numbered details as texts: ``{"nodes": {id: [caption, [[name, value], ...],
    [example, ...]]}, "edges": {...}}``."""
    text: list[str] = details["text"]

    def entry(raw: list[Any]) -> list[Any]:
        caption, facts, examples = raw
        if isinstance(caption, list):
            source, target, kind = (text[n] for n in caption)
            caption_text = f"{source} → {target} ({kind})"
        else:
            caption_text = text[caption]
        pairs = [[text[facts[i]], text[facts[i + 1]]] for i in range(0, len(facts), 2)]
        return [caption_text, pairs, [text[n] for n in examples]]

    return {
        kind: {key: entry(raw) for key, raw in details[kind].items()} for kind in ("nodes", "edges")
    }
