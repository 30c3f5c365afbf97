// Every chain (重点产业链) with its cluster, for finding a chain by name on the maps.
// Parameters: none
// Columns: id, name, seq, future, cluster_id, cluster, source, source_ref, as_of, loaded_at, synthetic
MATCH (n:Chain)
OPTIONAL MATCH (cl:Cluster)-[:HAS_CHAIN]->(n)
RETURN n.id AS id, n.name AS name, n.seq AS seq, n.future AS future,
       cl.id AS cluster_id, cl.name AS cluster,
       n.source AS source, n.source_ref AS source_ref, n.as_of AS as_of,
       n.loaded_at AS loaded_at, n.synthetic AS synthetic
ORDER BY seq, name
