// The province's clusters (重大集群) with their chiefs (群链长), one row per cluster and chief
// (chief columns null where the source names none).
// Parameters: $province_id
// Columns: id, name, seq, chief_id, chief, chief_title, chief_position,
//          source, source_ref, as_of, loaded_at, synthetic
MATCH (:Province {id: $province_id})-[:HAS_CLUSTER]->(n:Cluster)
OPTIONAL MATCH (p:Person)-[r:CHIEF_OF]->(n)
RETURN n.id AS id, n.name AS name, n.seq AS seq,
       p.id AS chief_id, p.name AS chief, p.title AS chief_title, r.position AS chief_position,
       n.source AS source, n.source_ref AS source_ref, n.as_of AS as_of,
       n.loaded_at AS loaded_at, n.synthetic AS synthetic
ORDER BY seq, chief_position
