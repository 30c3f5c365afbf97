// The key chains (重点产业链) of the province's clusters, in table order.
// Parameters: $province_id
// Columns: cluster_seq, seq, name, future, source_ref
MATCH (:Province {id: $province_id})-[:HAS_CLUSTER]->(c:Cluster)-[:HAS_CHAIN]->(ch:Chain)
RETURN c.seq AS cluster_seq, ch.seq AS seq, ch.name AS name, ch.future AS future,
       ch.source_ref AS source_ref
ORDER BY seq
