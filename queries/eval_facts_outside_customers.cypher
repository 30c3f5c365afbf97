// The facts behind eval_outside_customers for one chain: out-of-province customers of its
// in-province enterprises as of a date, with the supplier and the supply relation's source.
// Parameters: $chain (chain name), $as_of (date), $limit
// Columns: id, name, city, supplier_id, supplier, product, value, source, source_ref, as_of
MATCH (:Chain {name: $chain})-[:HAS_SEGMENT]->(:Segment)<-[r:OPERATES_IN]-(o:Organization)
      -[s:SUPPLIES]->(c:Organization)
WHERE o.in_province = true AND c.in_province = false AND (r.as_of IS NULL OR r.as_of <= $as_of)
RETURN DISTINCT c.id AS id, c.name AS name, c.city AS city, o.id AS supplier_id,
       o.name AS supplier, s.product AS product, s.value AS value,
       s.source AS source, s.source_ref AS source_ref, s.as_of AS as_of
ORDER BY id, supplier_id, product
LIMIT $limit
