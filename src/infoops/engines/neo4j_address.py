"""Neo4j addresses as users write them, and as infoops shows them: never with a password.

``bolt://user:pw@host:7687`` is accepted (the driver itself does not take credentials from the URI,
so they are split off and used as the login), and everything printed, logged or written into a
page names only ``bolt://host:7687``.

The userinfo is everything between ``://`` and the *last* ``@``, for parsing as for showing: a
password may hold an unencoded ``/``, ``?``, ``#`` or ``@``, which ``urlsplit`` would read as the
start of a path (and then keep the password in it). ``redact`` scrubs free text (error messages,
tracebacks) of URI credentials and of every form a known secret may take there.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import quote, quote_plus, unquote, urlsplit, urlunsplit

from infoops.errors import ConfigurationError

# The driver also speaks HTTP (needs aiohttp, and is another protocol): Bolt only.
BOLT_SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")
REDACTED = "***"
# A URI's userinfo inside free text: scheme, "://", then anything up to the last "@" before
# whitespace. Greedy on purpose: cutting a little too much of an address beats leaking a password.
_USERINFO_IN_TEXT = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]*://)(?:[^\s@]*@)+")


@dataclass(frozen=True)
class Neo4jAddress:
    uri: str  # what the driver connects to: no credentials
    user: str | None = None
    password: str | None = field(default=None, repr=False)


def parse_neo4j_uri(uri: str) -> Neo4jAddress:
    """Split credentials off a Bolt URI; refuse other schemes and malformed URIs in one line."""
    userinfo, bare = split_userinfo(uri)
    shown = printable(bare)
    if not bare.isprintable():  # urlsplit would silently drop a newline or tab
        raise ConfigurationError(
            f"cannot read the Neo4j address {shown}: it holds a control character"
        )
    try:
        parts = urlsplit(bare)
        port = parts.port  # raises ValueError on a port that is not a number or out of range
    except ValueError:
        raise ConfigurationError(
            f"cannot read the Neo4j address {shown}: expected bolt://HOST:PORT"
        ) from None
    scheme = parts.scheme.lower()
    if scheme not in BOLT_SCHEMES:
        raise ConfigurationError(
            f"cannot reach Neo4j at {shown}: use a Bolt address "
            f"({', '.join(s + '://' for s in BOLT_SCHEMES)}), e.g. bolt://localhost:7687"
        )
    if not parts.hostname:
        raise ConfigurationError(f"cannot read the Neo4j address {shown}: it names no host")
    host = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname
    netloc = f"{host}:{port}" if port is not None else host
    clean = urlunsplit((scheme, netloc, parts.path, parts.query, ""))
    user, password = None, None
    if userinfo is not None:
        name, colon, secret = userinfo.partition(":")
        user = unquote(name) or None
        password = unquote(secret) if colon else None
    return Neo4jAddress(clean, user, password)


def split_userinfo(uri: str) -> tuple[str | None, str]:
    """(userinfo or None, the URI without it): the userinfo ends at the last ``@``."""
    scheme, sep, rest = uri.strip().partition("://")
    if not sep:
        scheme, rest = "", scheme
    userinfo, at, host = rest.rpartition("@")
    if not at:
        return None, f"{scheme}{sep}{rest}"
    return userinfo, f"{scheme}{sep}{host}"


def redact_uri(uri: str) -> str:
    """The URI without anything before an ``@`` in its authority, on one line: safe to print.

    Works on text ``urlsplit`` rejects too (a bad port, stray brackets): a malformed address
    still must not leak the password that was typed into it.
    """
    return printable(split_userinfo(uri)[1])


def printable(text: str) -> str:
    """``text`` with control characters (a newline typed into an address) shown as escapes, so
    that a message naming it stays one line."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def uri_password(uri: str) -> str | None:
    """The password written into ``uri``'s userinfo, as written (perhaps %-encoded); None for
    text that is not a URI."""
    userinfo, _ = split_userinfo(uri)
    if userinfo is None or "://" not in uri:
        return None
    _, colon, secret = userinfo.partition(":")
    return secret if colon and secret else None


def secret_forms(secret: str | None) -> set[str]:
    """The ways ``secret`` may appear in text: as given, %-decoded, %-encoded (as a path, as a
    form value), and as ``repr`` escapes it inside a traceback."""
    if not secret:
        return set()
    forms = {secret, unquote(secret)}
    for form in list(forms):
        forms |= {quote(form, safe=""), quote(form), quote_plus(form), repr(form)[1:-1]}
    return {form for form in forms if form}


def redact(text: str, secrets: Iterable[str] = (), *, uris: bool = True) -> str:
    """``text`` with every form of every secret replaced by ``***`` and, unless ``uris`` is
    false, the userinfo of every URI in it cut off (where the text may quote data or a
    statement exactly, as a syntax error's caret line does, only the secrets go)."""
    forms = {form for secret in secrets for form in secret_forms(secret)}
    for form in sorted(forms, key=len, reverse=True):  # longest first: no half-replaced forms
        text = text.replace(form, REDACTED)
    return _USERINFO_IN_TEXT.sub(r"\1", text) if uris else text
