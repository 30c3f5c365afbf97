// The segment (环节) names of a chain.
// Parameters: $chain_id.
// Columns: id, name.
MATCH (:Chain {id: $chain_id})-[:HAS_SEGMENT]->(s:Segment)
RETURN s.id AS id, s.name AS name
ORDER BY name
