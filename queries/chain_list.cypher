// Every key chain (重点产业链) with its cluster (重大集群), in roster order.
// Parameters: none
// Columns: chain, cluster, seq, future, id, origin ('notice' | 'registry'; null before editions),
//          former (names earlier roster editions gave it)
MATCH (ch:Chain)
OPTIONAL MATCH (cl:Cluster)-[:HAS_CHAIN]->(ch)
RETURN ch.name AS chain, cl.name AS cluster, ch.seq AS seq, ch.future AS future, ch.id AS id,
       ch.origin AS origin, ch.former_names AS former
ORDER BY coalesce(seq, 9999), chain
