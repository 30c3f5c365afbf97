"""The graph model (schema) and the stores that hold it (embedded LadybugDB, Neo4j)."""
