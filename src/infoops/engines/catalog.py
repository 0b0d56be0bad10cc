"""Every Cypher statement the Neo4j engine can send on its own (schema, loader, derivations).

Listed in one place so CI can run Neo4j's own linter over all of them (tools/cypher-lint), next to
the canned queries. Statements built per label or type are generated for every label and type.
"""

from __future__ import annotations

from infoops.engines.cypher import (
    existing_keys_cypher,
    insert_nodes_cypher,
    insert_rels_cypher,
    lookup_cypher,
    update_nodes_cypher,
)
from infoops.engines.schema import NODES, RELS, neo4j_ddl


def neo4j_statements() -> list[tuple[str, str]]:
    """(name, Cypher) for every statement infoops itself sends to Neo4j."""
    from infoops.loaders import load_journal
    from infoops.loaders.derived_edges import DERIVATIONS
    from infoops.loaders.disclosure import UPDATE_LOADED_AT
    from infoops.loaders.twitter_io import graph_writer

    statements = [(f"schema:{i}", ddl) for i, ddl in enumerate(neo4j_ddl())]
    for node in NODES:
        statements.append((f"insert-nodes:{node.label}", insert_nodes_cypher(node.label)))
        statements.append((f"update-nodes:{node.label}", update_nodes_cypher(node.label)))
        statements.append((f"existing-keys:{node.label}", existing_keys_cypher(node.label)))
        statements.append(
            (f"lookup:{node.label}", lookup_cypher(node.label, node.property_names[1:3]))
        )
    for rel in RELS:
        for src, dst in rel.endpoints:
            statements.append(
                (f"insert-rels:{rel.type}:{src}:{dst}", insert_rels_cypher(rel.type, src, dst))
            )
        statements.append((f"delete-rels:{rel.type}", f"MATCH ()-[r:{rel.type}]->() DELETE r"))
    statements += [(f"derive:{name}", cypher) for name, cypher in DERIVATIONS.items()]
    statements += [(f"writer:{name}", cypher) for name, cypher in graph_writer.statements()]
    statements.append(("disclosure:loaded-at", UPDATE_LOADED_AT))
    statements += load_journal.statements()
    statements += _read_side_statements()
    return statements


def _read_side_statements() -> list[tuple[str, str]]:
    """Statements of the summary and the views, which run on Neo4j as they are."""
    from infoops.analysis.summary import summary_queries
    from infoops.visualisations import accounts, cascade, chains, seeds

    found = [
        (f"summary:{scope}:{name}", cypher)
        for scope, disclosure in (("all", None), ("disclosure", "d"))
        for name, cypher in summary_queries(disclosure).items()
    ]
    for module in (accounts, cascade, chains, seeds):
        found += [(f"view:{name}", cypher) for name, cypher in module.statements()]
    return found
