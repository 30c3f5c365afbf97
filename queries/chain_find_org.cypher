// Organisations called exactly $name.
// Parameters: $name
// Columns: id, name, in_province
MATCH (o:Organization)
WHERE o.name = $name
RETURN o.id AS id, o.name AS name, o.in_province AS in_province
ORDER BY id
