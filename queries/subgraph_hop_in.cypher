// One breadth-first hop of a subgraph: the incoming (upstream 上游) relationships of the frontier nodes,
// restricted to the given relationship types and neighbour labels.
// Parameters: $frontier (list of node ids), $types (relationship types), $labels (node labels)
// Columns: seed_id, type, other_id, other_label, other (node properties), rel (relationship properties)
UNWIND $frontier AS fid
MATCH (a {id: fid})<-[r]-(b)
WHERE type(r) IN $types AND labels(b)[0] IN $labels
RETURN a.id AS seed_id, type(r) AS type, b.id AS other_id, labels(b)[0] AS other_label,
       b AS other, r AS rel
ORDER BY seed_id, type, other_id
