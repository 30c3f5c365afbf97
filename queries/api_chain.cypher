// One key chain (重点产业链) by name, with its cluster.
// Parameters: $chain_id
// Columns: name, cluster, seq, future
MATCH (ch:Chain {id: $chain_id})
OPTIONAL MATCH (cl:Cluster)-[:HAS_CHAIN]->(ch)
RETURN ch.name AS name, cl.name AS cluster, ch.seq AS seq, ch.future AS future
