"""Neo4j addresses as users write them, and as infoops shows them: never with a password.

``bolt://user:pw@host:7687`` is accepted (the driver itself does not take credentials from the URI,
so they are split off and used as the login), and everything printed, logged or written into a
page names only ``bolt://host:7687``.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import unquote, urlsplit, urlunsplit

from infoops.errors import ConfigurationError

# The driver also speaks HTTP (needs aiohttp, and is another protocol): Bolt only.
BOLT_SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")


@dataclass(frozen=True)
class Neo4jAddress:
    uri: str  # what the driver connects to: no credentials
    user: str | None = None
    password: str | None = None


def parse_neo4j_uri(uri: str) -> Neo4jAddress:
    """Split credentials off a Bolt URI; refuse other schemes and malformed URIs in one line."""
    shown = redact_uri(uri)
    try:
        parts = urlsplit(uri.strip())
        port = parts.port  # raises ValueError on a port that is not a number
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
    netloc = f"{host}:{port}" if port else host
    clean = urlunsplit((scheme, netloc, parts.path, parts.query, ""))
    user = unquote(parts.username) if parts.username else None
    password = unquote(parts.password) if parts.password is not None else None
    return Neo4jAddress(clean, user, password)


def redact_uri(uri: str) -> str:
    """The URI without anything before an ``@`` in its authority: safe to print.

    Works on text ``urlsplit`` rejects too (a bad port, stray brackets): a malformed address
    still must not leak the password that was typed into it.
    """
    scheme, sep, rest = uri.strip().partition("://")
    if not sep:
        scheme, rest = "", scheme
    # Cut at the last "@" anywhere: a password may hold an unencoded "/", "?" or "#", and
    # showing too little of an address is better than showing a password.
    if "@" in rest:
        rest = rest.rsplit("@", 1)[1]
    return f"{scheme}{sep}{rest}"
