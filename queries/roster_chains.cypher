// The key chains (重点产业链) of the province's clusters, in table order: those the roster
// edition in force lists (origin 'notice') and those a chains registry declares ('registry').
// Parameters: $province_id
// Columns: cluster_seq, seq, id, name, future, source_ref, origin, status, city, source,
//          former_names, basis
MATCH (:Province {id: $province_id})-[:HAS_CLUSTER]->(c:Cluster)-[:HAS_CHAIN]->(ch:Chain)
RETURN c.seq AS cluster_seq, ch.seq AS seq, ch.id AS id, ch.name AS name, ch.future AS future,
       ch.source_ref AS source_ref, coalesce(ch.origin, 'notice') AS origin,
       ch.status AS status, ch.city AS city, ch.source AS source,
       ch.former_names AS former_names, ch.basis AS basis
ORDER BY seq, name
