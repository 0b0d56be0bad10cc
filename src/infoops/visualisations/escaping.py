"""Getting data from a takedown release into a page without letting it become markup or code.

Tweet texts, screen names and profiles are hostile input: a release can hold
``<script>alert(1)</script>``. Three rules keep it text:

- everything placed in HTML goes through Jinja's autoescaping (``html.escape`` semantics);
- data embedded in a ``<script>`` block is JSON with ``<``, ``>``, ``&`` and the two JavaScript
  line separators written as ``\\uXXXX`` escapes, so no ``</script>`` or ``<!--`` can appear;
- the page's own JavaScript puts data into the DOM with ``textContent`` only, never
  ``innerHTML`` (tooltips are DOM elements, not HTML strings).
"""

from __future__ import annotations

import base64
import hashlib
import json
import math
from typing import Any

_SCRIPT_UNSAFE = {
    ord("<"): "\\u003c",
    ord(">"): "\\u003e",
    ord("&"): "\\u0026",
    0x2028: "\\u2028",
    0x2029: "\\u2029",
}


def script_json(value: Any) -> str:
    """JSON safe to place verbatim inside ``<script>...</script>`` (and valid JSON still)."""
    text = json.dumps(
        value, ensure_ascii=False, separators=(",", ":"), allow_nan=False, default=_jsonable
    )
    return text.translate(_SCRIPT_UNSAFE)


def csp_hash(script: str) -> str:
    """The Content-Security-Policy source expression allowing exactly this inline script."""
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def _jsonable(value: Any) -> Any:
    if isinstance(value, set | frozenset | tuple):
        return list(value)
    return str(value)


def finite(value: float) -> float:
    """NaN and infinities are not JSON; draw them as 0."""
    return value if math.isfinite(value) else 0.0
