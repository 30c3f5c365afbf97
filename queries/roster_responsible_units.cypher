// Every responsible unit (群链长责任单位) of the roster: the organisations a unit API key may name.
// Parameters: none
// Columns: name
MATCH (o:Organization)-[:RESPONSIBLE_FOR]->(:Chain)
RETURN DISTINCT o.name AS name
ORDER BY name
