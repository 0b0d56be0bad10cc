"""One coordination network computed and stored: events read, pairs swept, edges replaced."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import pyarrow as pa

from infoops.analysis.coordination.events import read_events
from infoops.analysis.coordination.methods import DEFAULT_SIMILARITY, Method, ObjectKind, get_method
from infoops.analysis.coordination.store import account_nodes, replace_edges
from infoops.analysis.coordination.windowed_pairs import (
    CodedEvents,
    PairFilter,
    directed_weights,
    encode,
)
from infoops.engines.base import GraphEngine
from infoops.errors import CoordinationError


@dataclass(frozen=True)
class NetworkRun:
    method: str
    window_s: int
    min_weight: int
    events: int
    edges: pa.Table  # src, dst, weight, heaviest first
    written: int
    seconds: float


def check_parameters(window_s: int, min_weight: int, threshold: float) -> None:
    if window_s < 0:
        raise CoordinationError(f"the window must be 0 seconds or more, not {window_s}")
    if min_weight < 1:
        raise CoordinationError(f"the minimum weight must be 1 or more, not {min_weight}")
    if not 0.0 <= threshold <= 1.0:
        raise CoordinationError(f"the similarity threshold must be within 0..1, not {threshold}")


def compute_edges(
    events: pa.Table,
    method: Method,
    window_s: int,
    min_weight: int,
    threshold: float = DEFAULT_SIMILARITY,
) -> pa.Table:
    """The edges (src, dst, weight) of ``method`` over ``events`` (``events.read_events``)."""
    coded = CodedEvents.of(events)
    keep: PairFilter | None = None
    if method.kind is ObjectKind.similar:
        from infoops.analysis.coordination.similar_text import similarity_filter

        objects = coded_objects(events)
        keep = similarity_filter(coded, objects, threshold)
    edges = directed_weights(
        coded,
        window_s * 1000,
        min_weight,
        keep,
        same_object=method.kind is not ObjectKind.similar,
    )
    return edges.sort_by([("weight", "descending"), ("src", "ascending"), ("dst", "ascending")])


def coded_objects(events: pa.Table) -> list[str]:
    """The object of each object code of ``CodedEvents.of(events)`` (same encoding)."""
    _, objects = encode(events.column("object"))
    return [str(text) for text in objects.to_pylist()]


def compute_network(
    engine: GraphEngine,
    method_name: str,
    window_s: int,
    min_weight: int,
    *,
    disclosure: str | None = None,
    threshold: float = DEFAULT_SIMILARITY,
) -> NetworkRun:
    """Compute ``method_name``'s network and replace its stored edges of this window."""
    method = get_method(method_name)
    check_parameters(window_s, min_weight, threshold)
    started = time.perf_counter()
    events = read_events(engine, method, disclosure=disclosure)
    with ThreadPoolExecutor(1, thread_name_prefix="infoops-nodes") as pool:
        # The server looks up the accounts' nodes while the client computes (an engine that
        # writes by node id): 0.2-0.4 s of a million tweets' run on Neo4j.
        nodes = pool.submit(account_nodes, engine, events.column("account"))
        edges = compute_edges(events, method, window_s, min_weight, threshold)
        written = replace_edges(engine, method.name, window_s, edges, nodes.result())
    return NetworkRun(
        method=method.name,
        window_s=window_s,
        min_weight=min_weight,
        events=events.num_rows,
        edges=edges,
        written=written,
        seconds=time.perf_counter() - started,
    )
