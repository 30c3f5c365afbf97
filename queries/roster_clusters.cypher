// The province's clusters (重大集群) in table order, with their chiefs (群链长); one row per
// cluster and chief (chief columns null for a cluster whose chief the source does not give).
// Parameters: $province_id
// Columns: seq, name, source_ref, chief, chief_title, chief_position
MATCH (:Province {id: $province_id})-[:HAS_CLUSTER]->(c:Cluster)
OPTIONAL MATCH (p:Person)-[r:CHIEF_OF]->(c)
RETURN c.seq AS seq, c.name AS name, c.source_ref AS source_ref,
       p.name AS chief, p.title AS chief_title, r.position AS chief_position
ORDER BY seq, chief_position
