// One breadth-first hop of a subgraph: the outgoing (downstream 下游) relationships of the frontier nodes,
// restricted to the given relationship types and neighbour labels.
// Parameters: $frontier (list of node ids), $types (relationship types), $labels (node labels)
// Columns: seed_id, type, other_id, other_label, other (node properties), rel (relationship properties)
// LadybugDB: a WHERE ... IN filter over all node tables is several times faster here than
// UNWIND with an unlabelled {id: fid} match.
MATCH (a)-[r]->(b)
WHERE a.id IN $frontier AND label(r) IN $types AND label(b) IN $labels
RETURN a.id AS seed_id, label(r) AS type, b.id AS other_id, label(b) AS other_label,
       b AS other, r AS rel
ORDER BY seed_id, type, other_id
