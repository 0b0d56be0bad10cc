"""Meta's threat indicators as the load pipeline sees them (loaders/pipeline.py): two layouts,
one writer. Indicators hold no posts: they are what a disclosure is cross-referenced against."""

from __future__ import annotations

from infoops.loaders.meta_indicators.graph_writer import IndicatorWriter
from infoops.loaders.meta_indicators.reader import (
    Layout,
    read_chunks_exact,
    read_chunks_fast,
    recognise,
)
from infoops.loaders.meta_indicators.records import parse_chunk
from infoops.loaders.source_format import SourceFormat, SourceKind

META_INDICATORS = SourceFormat(
    platform="meta",
    recognise=recognise,
    kinds=tuple(SourceKind(layout.value, parse_chunk, IndicatorWriter.write) for layout in Layout),
    read_fast=read_chunks_fast,
    read_exact=read_chunks_exact,
    writer=IndicatorWriter,
)
