// A chain as the ledger needs it: its cluster and its responsible units (群链长责任单位) in roster order.
// Parameters: $chain_id.
// Columns: chain, cluster, unit, position (one row per unit; unit null when none).
MATCH (c:Chain {id: $chain_id})
OPTIONAL MATCH (k:Cluster)-[:HAS_CHAIN]->(c)
OPTIONAL MATCH (o:Organization)-[r:RESPONSIBLE_FOR]->(c)
RETURN c.name AS chain, k.name AS cluster, o.name AS unit, r.position AS position
ORDER BY position
