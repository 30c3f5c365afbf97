"""The questions asked of the graph: one .cypher file each, loaded once."""
