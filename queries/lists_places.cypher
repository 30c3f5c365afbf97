// The cities (地市) and parks (园区) already in the graph, so list loads add only new ones.
// Parameters: none.
// Columns: label ('City' or 'Park'), id
MATCH (c:City)
RETURN 'City' AS label, c.id AS id
UNION ALL
MATCH (p:Park)
RETURN 'Park' AS label, p.id AS id
