// The FEEDS edges inside each of the given chains (both segments in the same chain), for
// segment criticality (betweenness, articulation points) on the chain's FEEDS graph.
// Parameters: $chains (list of chain names)
// Columns: chain, from_id, to_id, product
MATCH (a:Segment)-[f:FEEDS]->(b:Segment)
WHERE a.chain IN $chains AND b.chain = a.chain
RETURN a.chain AS chain, a.id AS from_id, b.id AS to_id, f.product AS product
ORDER BY chain, from_id, to_id, product
