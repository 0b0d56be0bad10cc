"""Moving a whole graph between engines: Neo4j bulk-import files, and pushing into a server."""
