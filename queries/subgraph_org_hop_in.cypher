// One breadth-first hop of a subgraph from organisations: their incoming (upstream 上游) relationships,
// restricted to the given relationship types and neighbour labels. The same question as
// subgraph_hop_in for a frontier of one label, which the engines answer much faster.
// Parameters: $frontier (list of Organization ids), $types (relationship types), $labels (node labels)
// Columns: seed_id, type, other_id, other_label, other (node properties), rel (relationship properties)
MATCH (a:Organization)<-[r]-(b)
WHERE a.id IN $frontier AND type(r) IN $types AND labels(b)[0] IN $labels
RETURN a.id AS seed_id, type(r) AS type, b.id AS other_id, labels(b)[0] AS other_label,
       b AS other, r AS rel
ORDER BY seed_id, type, other_id
