"""Text as the toolkit compares it: co-tweet's normalised text, co-similar-tweet's token set.

Copied from coordination-network-toolkit 1.5.2 (similarity.py), since the edges must be the
same: lower-case, remove @mentions with ``@.*?(?=(?:\\s|$))`` (an @ and everything up to the
next whitespace, so ``email@host`` loses its tail too), collapse whitespace. Tokens are split
at Unicode word boundaries (the ``regex`` module; Python's ``re`` splits differently), then
de-duplicated and sorted.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from infoops.errors import CoordinationError

MENTION = re.compile(r"@.*?(?=(?:\s|$))")


def normalised_text(text: str) -> str:
    """The toolkit's ``message_preprocessor``. An empty result (a tweet of mentions only)
    matches every other empty one, as in the toolkit."""
    return " ".join(MENTION.sub("", text.lower()).split())


@cache
def _word_splitter() -> Any:
    try:
        import regex
    except ImportError as exc:  # pragma: no cover - regex is a dependency
        raise CoordinationError(
            "co-similar-tweet needs the 'regex' package: pip install regex"
        ) from exc
    return regex.compile(
        r"\b\p{Word_Break=WSegSpace}*'?", flags=regex.WORD | regex.UNICODE | regex.V1
    )


def token_set(text: str) -> str:
    """The toolkit's ``tokenize``: the distinct tokens, sorted, joined by spaces."""
    parts = _word_splitter().split(MENTION.sub("", text.lower()))
    return " ".join(sorted({part for part in parts if part}))


def map_distinct(values: pa.Array | pa.ChunkedArray, function: Callable[[str], str]) -> pa.Array:
    """``function`` applied once per distinct value of a text column (nulls read as '')."""
    encoded = pc.dictionary_encode(pc.fill_null(pc.cast(values, pa.string()), ""))
    if isinstance(encoded, pa.ChunkedArray):
        encoded = encoded.combine_chunks()
    mapped = pa.array([function(text) for text in encoded.dictionary.to_pylist()], pa.string())
    return mapped.take(encoded.indices)
