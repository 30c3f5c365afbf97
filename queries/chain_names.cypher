// The names of all key chains (重点产业链) in the graph.
// Parameters: none
// Columns: name
MATCH (c:Chain)
RETURN c.name AS name
ORDER BY name
