// One key chain (重点产业链) by id, with its cluster and origin (notice | registry).
// Parameters: $chain_id
// Columns: name, cluster, seq, future, origin, status, city, source
MATCH (ch:Chain {id: $chain_id})
OPTIONAL MATCH (cl:Cluster)-[:HAS_CHAIN]->(ch)
RETURN ch.name AS name, cl.name AS cluster, ch.seq AS seq, ch.future AS future,
       coalesce(ch.origin, 'notice') AS origin, ch.status AS status, ch.city AS city,
       ch.source AS source
