// The nodes with the given ids (any label), to seed a subgraph.
// Parameters: $ids (list of node ids)
// Columns: id, label, node (node properties)
UNWIND $ids AS nid
MATCH (n {id: nid})
RETURN n.id AS id, label(n) AS label, n AS node
ORDER BY id
