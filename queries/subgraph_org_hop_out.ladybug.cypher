// One breadth-first hop of a subgraph from organisations: their outgoing (downstream 下游) relationships,
// restricted to the given relationship types and neighbour labels. The same question as
// subgraph_hop_out for a frontier of one label, which the engines answer much faster.
// Parameters: $frontier (list of Organization ids), $types (relationship types), $labels (node labels)
// Columns: seed_id, type, other_id, other_label, other (node properties), rel (relationship properties)
MATCH (a:Organization)-[r]->(b)
WHERE a.id IN $frontier AND label(r) IN $types AND label(b) IN $labels
RETURN a.id AS seed_id, label(r) AS type, b.id AS other_id, label(b) AS other_label,
       b AS other, r AS rel
ORDER BY seed_id, type, other_id
