// Every cluster (重大集群), for finding a cluster by name on the maps.
// Parameters: none
// Columns: id, name, seq, source, source_ref, as_of, loaded_at, synthetic
MATCH (n:Cluster)
RETURN n.id AS id, n.name AS name, n.seq AS seq,
       n.source AS source, n.source_ref AS source_ref, n.as_of AS as_of,
       n.loaded_at AS loaded_at, n.synthetic AS synthetic
ORDER BY seq, name
