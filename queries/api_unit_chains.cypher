// The chains an organisation is responsible for (RESPONSIBLE_FOR, 群链长责任单位): what a unit key may write.
// Parameters: $org_id
// Columns: chain
MATCH (:Organization {id: $org_id})-[:RESPONSIBLE_FOR]->(ch:Chain)
RETURN ch.name AS chain
ORDER BY chain
