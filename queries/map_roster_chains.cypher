// The chains of the province's clusters, in roster order.
// Parameters: $province_id
// Columns: cluster_id, id, name, seq, future, source, source_ref, as_of, loaded_at, synthetic,
//          origin ('notice' | 'registry'), status, city, basis (registry chains)
MATCH (:Province {id: $province_id})-[:HAS_CLUSTER]->(c:Cluster)-[:HAS_CHAIN]->(n:Chain)
RETURN c.id AS cluster_id, n.id AS id, n.name AS name, n.seq AS seq, n.future AS future,
       n.source AS source, n.source_ref AS source_ref, n.as_of AS as_of,
       n.loaded_at AS loaded_at, n.synthetic AS synthetic, coalesce(n.origin, 'notice') AS origin,
       n.status AS status, n.city AS city, n.basis AS basis
ORDER BY seq, name
