// The province and its general chief (总群链长), the root of the roster map.
// Parameters: $province_id
// Columns: id, name, chief_id, chief, chief_title, source, source_ref, as_of, loaded_at, synthetic
MATCH (n:Province {id: $province_id})
OPTIONAL MATCH (p:Person)-[:GENERAL_CHIEF_OF]->(n)
RETURN n.id AS id, n.name AS name, p.id AS chief_id, p.name AS chief, p.title AS chief_title,
       p.source AS source, p.source_ref AS source_ref, p.as_of AS as_of,
       p.loaded_at AS loaded_at, p.synthetic AS synthetic
