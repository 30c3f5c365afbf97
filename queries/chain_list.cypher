// Every key chain (重点产业链) with its cluster (重大集群), in roster order.
// Parameters: none
// Columns: chain, cluster, seq, future
MATCH (ch:Chain)
OPTIONAL MATCH (cl:Cluster)-[:HAS_CHAIN]->(ch)
RETURN ch.name AS chain, cl.name AS cluster, ch.seq AS seq, ch.future AS future
ORDER BY coalesce(seq, 9999), chain
