// The chain's supply network (供应网络): SUPPLIES edges whose supplier and customer both operate
// in segments of the chain, for enterprise criticality (betweenness, articulation points).
// Parameters: $chain (chain name)
// Columns: supplier_id, customer_id, product, value
MATCH (ch:Chain {name: $chain})-[:HAS_SEGMENT]->(:Segment)<-[:OPERATES_IN]-(a:Organization)
WITH DISTINCT ch, a
MATCH (a)-[e:SUPPLIES]->(b:Organization)
WHERE EXISTS { MATCH (b)-[:OPERATES_IN]->(:Segment)<-[:HAS_SEGMENT]-(ch) }
RETURN a.id AS supplier_id, b.id AS customer_id, e.product AS product, e.value AS value
ORDER BY supplier_id, customer_id, product
