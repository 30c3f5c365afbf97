// Names of organisations containing $fragment, to suggest the closest to a mistyped name.
// Parameters: $fragment, $limit
// Columns: name
MATCH (o:Organization)
WHERE o.name CONTAINS $fragment
RETURN o.name AS name
ORDER BY name
LIMIT $limit
