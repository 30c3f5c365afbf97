// Enterprises with supply links (SUPPLIES in or out), leaders and the largest first: the firms
// that get an enterprise map in a linked map set (chainkg map --all).
// Parameters: $limit
// Columns: id, name, leader, revenue, synthetic
MATCH (n:Organization)
WHERE n.kind = 'enterprise' AND EXISTS { MATCH (n)-[:SUPPLIES]-(:Organization) }
RETURN n.id AS id, n.name AS name, n.leader AS leader, n.revenue AS revenue,
       n.synthetic AS synthetic
ORDER BY coalesce(n.leader, false) DESC, coalesce(n.revenue, -1.0) DESC, id
LIMIT $limit
