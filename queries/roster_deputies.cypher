// City deputy chiefs (副群链长) per chain, with the source that names them.
// Parameters: none.
// Columns: chain, name, title, city, source, source_ref, synthetic.
MATCH (p:Person)-[r:DEPUTY_CHIEF_OF]->(c:Chain)
RETURN c.name AS chain, p.name AS name, p.title AS title, r.city AS city,
       r.source AS source, r.source_ref AS source_ref, r.synthetic AS synthetic
ORDER BY chain, city, name
