"""One indicator per row: its type, normalised value, and what it names.

The flat layout types its rows itself (``indicator_type``). A kill-chain row is typed by its
Procedure ("0.9.4 Acquiring X / Twitter accounts"), the most specific step of the kill chain,
except a *descriptive* row, which gets the type ``description``: the kill chain mixes the
indicators of an operation (URLs, domains, handles; post titles and hashtags it published)
with statements about it ("7,704 Facebook accounts", a sentence on repurposed Pages). A row is
descriptive when it names nothing and either counts something ("15 Instagram accounts") or
sits under the tactic of acquiring assets, whose indicators are the assets themselves.

Rows that cannot be an indicator go to the quarantine with their line and reason: no value, no
type, a URL without a host, a ``ds`` that is not a date.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from infoops.loaders.meta_indicators.reader import Layout, RawChunk
from infoops.loaders.meta_indicators.values import (
    Kind,
    Named,
    UnusableValue,
    about_twitter,
    classify,
    collapse_spaces,
)
from infoops.loaders.quarantine import Quarantine

DESCRIPTION = "description"
_COUNT = re.compile(r"^\d[\d,.]*\s+\S")
_ACQUIRING_ASSETS = re.compile(r"^\s*0\.|acquiring assets", re.IGNORECASE)


@dataclass(frozen=True)
class IndicatorRow:
    type: str
    named: Named
    raw: str
    comment: str | None
    tactic: str | None
    technique: str | None
    published: str | None

    @property
    def id(self) -> str:
        return f"{self.type}:{self.named.value}"


@dataclass
class IndicatorRecords:
    rows: list[IndicatorRow] = field(default_factory=list)
    rejected: int = 0


def parse_chunk(chunk: RawChunk, quarantine: Quarantine) -> IndicatorRecords:
    records = IndicatorRecords()
    parse = _flat if chunk.layout is Layout.FLAT else _kill_chain
    for row, line in zip(chunk.rows, chunk.lines, strict=True):
        try:
            records.rows.append(parse(chunk, row))
        except UnusableValue as exc:
            records.rejected += 1
            quarantine.reject(chunk.source.name, line, str(exc), row)
    return records


def _text(value: str) -> str | None:
    return collapse_spaces(value) or None


def _flat(chunk: RawChunk, row: list[str]) -> IndicatorRow:
    raw = chunk.field(row, "indicator_value").strip()
    kind = collapse_spaces(chunk.field(row, "indicator_type"))
    if not kind:
        raise UnusableValue("no indicator_type")
    named = classify(raw, twitter_hint=about_twitter(kind))
    return IndicatorRow(
        type=kind,
        named=named,
        raw=raw,
        comment=_text(chunk.field(row, "comment")),
        tactic=None,
        technique=None,
        published=_date(chunk.field(row, "ds")),
    )


def _kill_chain(chunk: RawChunk, row: list[str]) -> IndicatorRow:
    raw = chunk.field(row, "indicator").strip()
    tactic = _text(chunk.field(row, "tactic"))
    technique = _text(chunk.field(row, "technique"))
    procedure = _text(chunk.field(row, "procedure"))
    step = procedure or technique or tactic
    if step is None and raw:
        raise UnusableValue("no Tactic, Technique or Procedure")
    named = classify(raw, twitter_hint=about_twitter(step or ""))
    descriptive = named.kind is Kind.TEXT and bool(
        _COUNT.match(named.value) or _ACQUIRING_ASSETS.search(tactic or "")
    )
    return IndicatorRow(
        type=DESCRIPTION if descriptive else str(step),
        named=named,
        raw=raw,
        comment=_text(chunk.field(row, "note")),
        tactic=tactic,
        technique=technique,
        published=None,
    )


def _date(value: str) -> str | None:
    """``ds`` as published (YYYY-MM-DD); empty -> None."""
    value = value.strip()
    if not value:
        return None
    for parse in (dt.date.fromisoformat, dt.datetime.fromisoformat):
        try:
            parse(value)
            return value
        except ValueError:
            continue
    raise UnusableValue(f"ds is not a date (YYYY-MM-DD): {value[:40]!r}")
