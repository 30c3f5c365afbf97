// The SUPPLIES links into the organisations $ids (their suppliers, one step upstream).
// Parameters: $ids (organisation ids)
// Columns: from_id, to_id, product, value, source, source_ref, as_of, loaded_at, synthetic
MATCH (a:Organization)-[f:SUPPLIES]->(b:Organization)
WHERE b.id IN $ids
RETURN a.id AS from_id, b.id AS to_id, f.product AS product, f.value AS value,
       f.source AS source, f.source_ref AS source_ref, f.as_of AS as_of,
       f.loaded_at AS loaded_at, f.synthetic AS synthetic
