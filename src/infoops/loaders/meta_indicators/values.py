"""What one published indicator value names: re-fanged, normalised, and classified.

Meta defangs what could be clicked (``example[.]com``, ``hxxps[:]//``); a value is re-fanged
before it is classified, and kept as published (``raw``) beside. URLs are normalised the way the
Twitter loader normalises its URLs (trimmed, otherwise verbatim) and domains with its
``domain_of`` (lower-cased, no ``www.``, no port), so an indicator meets the very Url and Domain
nodes a Twitter disclosure made. A value that names nothing (a count of accounts, a post's
title) keeps its published text, only its white space collapsed: re-fanging ``(dot)`` inside a
sentence would change the sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum
from urllib.parse import parse_qs, urlsplit

from infoops.loaders.twitter_io.fields import domain_of

# Each defanging seen in threat-intelligence feeds, and what it stood for.
_DEFANGS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^h[x*]{2}p(s?)(?=\[?:)", re.IGNORECASE), r"http\1"),
    (re.compile(r"\[\s*:\s*//\s*\]"), "://"),
    (re.compile(r"\[\s*:\s*\]"), ":"),
    (re.compile(r"\[\s*/\s*\]"), "/"),
    (re.compile(r"[\[({]\s*\.\s*[\])}]"), "."),
    (re.compile(r"[\[({]\s*dot\s*[\])}]", re.IGNORECASE), "."),
    (re.compile(r"[\[({]\s*(?:@|at)\s*[\])}]", re.IGNORECASE), "@"),
)
_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*://", re.IGNORECASE)
_LABEL = r"[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?"
_HOST = rf"(?:{_LABEL}\.)+(?:[a-z]{{2,63}}|xn--[a-z0-9-]{{1,59}})\.?(?::\d{{1,5}})?"
_DOMAIN = re.compile(rf"^{_HOST}$", re.IGNORECASE)
_DOMAIN_WITH_PATH = re.compile(rf"^{_HOST}[/?#]\S*$", re.IGNORECASE)
_HANDLE = re.compile(r"^@?([A-Za-z0-9_]{1,15})$")
_DIGITS = re.compile(r"^\d{1,20}$")
_SPACES = re.compile(r"\s+")
# A link followed by a note in brackets: "https://...html [comment]" (the account commented there).
_ANNOTATED = re.compile(r"^(\S+)\s+[\[(][^\])]*[\])]$")
TWITTER_HOSTS = frozenset({"twitter.com", "x.com", "mobile.twitter.com", "m.twitter.com"})
# First path segments of twitter.com that are pages, not accounts.
_NOT_ACCOUNTS = frozenset(
    {"i", "intent", "home", "search", "hashtag", "share", "explore", "settings", "messages",
     "notifications", "login", "signup", "tos", "privacy", "account", "compose"}
)  # fmt: skip


class Kind(Enum):
    URL = "url"
    DOMAIN = "domain"
    HANDLE = "handle"  # a Twitter / X account given by handle or numeric id alone
    TEXT = "text"  # names nothing in the graph: a count, a description, a post's title


@dataclass(frozen=True)
class Named:
    """A value as the graph sees it. ``screen_name`` / ``userid``: the Twitter / X account it
    names (a profile URL, or a handle under a Twitter procedure), lower-cased screen name."""

    kind: Kind
    value: str
    domain: str | None = None
    screen_name: str | None = None
    userid: str | None = None


class UnusableValue(ValueError):
    """A value that looks like an indicator but cannot be one (a URL without a host)."""


def refang(value: str) -> str:
    """``hxxps[:]//example[.]com`` -> ``https://example.com``; anything else unchanged."""
    value = value.strip()
    for pattern, replacement in _DEFANGS:
        value = pattern.sub(replacement, value)
    return value


def collapse_spaces(text: str) -> str:
    return _SPACES.sub(" ", text).strip()


def about_twitter(hint: str) -> bool:
    """Does a type or procedure say its values are Twitter / X accounts?"""
    return re.search(r"twitter|\bx\b", hint, re.IGNORECASE) is not None


def classify(raw: str, *, twitter_hint: bool = False) -> Named:
    """What ``raw`` names. ``twitter_hint``: the row's type or procedure is about Twitter / X
    accounts, so a bare handle or numeric id is one. Raises ``UnusableValue``."""
    fanged = refang(raw)
    if not fanged:
        raise UnusableValue("no indicator value")
    if _SPACES.search(fanged):
        annotated = _ANNOTATED.match(fanged)
        if annotated and _is_link(annotated.group(1)):
            return classify(annotated.group(1), twitter_hint=twitter_hint)  # note kept in raw
        return Named(Kind.TEXT, collapse_spaces(raw))
    if _SCHEME.match(fanged) or _DOMAIN_WITH_PATH.match(fanged):
        domain = domain_of(fanged)
        if domain is None:
            raise UnusableValue(f"URL without a host: {raw[:80]!r}")
        screen_name, userid = _twitter_account(fanged, domain)
        return Named(Kind.URL, fanged, domain, screen_name, userid)
    if _DOMAIN.match(fanged):
        domain = domain_of(fanged)
        assert domain is not None  # the pattern requires a host
        return Named(Kind.DOMAIN, domain, domain)
    if twitter_hint:
        if _DIGITS.match(fanged):
            return Named(Kind.HANDLE, fanged, userid=fanged)
        handle = _HANDLE.match(fanged)
        if handle:
            name = handle.group(1).lower()
            return Named(Kind.HANDLE, "@" + name, screen_name=name)
    return Named(Kind.TEXT, collapse_spaces(raw))


def _is_link(value: str) -> bool:
    return bool(_SCHEME.match(value) or _DOMAIN_WITH_PATH.match(value) or _DOMAIN.match(value))


def _twitter_account(url: str, domain: str) -> tuple[str | None, str | None]:
    """(screen name, numeric id) of a Twitter / X profile URL; a status or search URL names
    a tweet or a page, not an account."""
    if domain not in TWITTER_HOSTS:
        return None, None
    parts = urlsplit(url if _SCHEME.match(url) else "https://" + url)
    segments = [segment for segment in parts.path.split("/") if segment]
    if segments[:2] == ["intent", "user"]:
        ids = parse_qs(parts.query).get("user_id", [])
        return None, ids[0] if ids and _DIGITS.match(ids[0]) else None
    if len(segments) == 3 and segments[:2] == ["i", "user"] and _DIGITS.match(segments[2]):
        return None, segments[2]
    if len(segments) != 1:
        return None, None
    handle = _HANDLE.match(segments[0])
    if handle is None or handle.group(1).lower() in _NOT_ACCOUNTS:
        return None, None
    return handle.group(1).lower(), None
