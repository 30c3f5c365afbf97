// Who is 总群链长 (general chief) of the province.
// Parameters: $province_id (e.g. 'province:河南省')
// Columns: name, title, source_ref
MATCH (p:Person)-[r:GENERAL_CHIEF_OF]->(:Province {id: $province_id})
RETURN p.name AS name, p.title AS title, r.source_ref AS source_ref
ORDER BY name
