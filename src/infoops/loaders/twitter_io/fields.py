"""Parsers for single field values, each tolerant of the variants real files contain."""

from __future__ import annotations

import ast
import re

ABSENT = ("", "absent")
_RT_PREFIX = re.compile(r"^RT @([^\s:]+):")


def is_hashed_id(userid: str) -> bool:
    """Hashed accounts are recognised by shape: a numeric id is all digits, a hash is not.

    Follower counts say nothing reliable about hashing (see docs/data-formats.md).
    """
    return not userid.isdigit()


def parse_count(value: str) -> int | None:
    """``'3.0'`` -> 3; empty -> None (about 1% of rows); raises ValueError on garbage."""
    value = value.strip()
    if not value:
        return None
    return int(float(value))


def parse_coordinate(value: str) -> float | None:
    value = value.strip()
    if value.lower() in ABSENT:
        return None
    return float(value)


def parse_list(value: str) -> list[str]:
    """Python list text (``['a', 'b']``, ``[1, 2]``, ``[]``, or empty) to a list of strings.

    Not JSON: single quotes, and ids without quotes. The common shapes are split by hand (this
    runs on every row); anything unusual goes through ``ast.literal_eval``.
    """
    value = value.strip()
    if not value or value == "[]":
        return []
    if not value.startswith("["):
        return [value]  # a mirror that wrote a bare single value
    if not value.endswith("]"):
        raise ValueError(f"not a list: {value[:60]!r}")
    inner = value[1:-1].strip()
    if "'" not in inner and '"' not in inner:
        return [item.strip() for item in inner.split(",") if item.strip()]
    if inner.startswith("'") and inner.endswith("'") and "\\" not in inner:
        items = inner[1:-1].split("', '")
        if all("'" not in item for item in items):
            return items
    try:
        parsed = ast.literal_eval(value)
    except (ValueError, SyntaxError):
        raise ValueError(f"not a list: {value[:60]!r}") from None
    if not isinstance(parsed, list | tuple):
        raise ValueError(f"not a list: {value[:60]!r}")
    return [str(item) for item in parsed]


def parse_bool(value: str) -> bool | None:
    lowered = value.strip().lower()
    if lowered in ("true", "1", "t", "yes"):
        return True
    if lowered in ("false", "0", "f", "no"):
        return False
    if not lowered:
        return None
    raise ValueError(f"not a boolean: {value!r}")


def retweeted_screen_name(text: str) -> str | None:
    """The author named by a retweet's ``RT @name:`` prefix (fallback for empty retweet_userid)."""
    match = _RT_PREFIX.match(text)
    return match.group(1) if match else None


def domain_of(url: str) -> str | None:
    """Host of a URL, lower-cased, without ``www.`` and port."""
    rest = url.split("://", 1)[1] if "://" in url else url
    host = rest.split("/", 1)[0].split("?", 1)[0].split("#", 1)[0]
    host = host.rsplit("@", 1)[-1].split(":", 1)[0].strip().lower().rstrip(".")
    if host.startswith("www."):
        host = host[4:]
    return host or None
