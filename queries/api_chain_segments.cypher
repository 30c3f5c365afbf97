// The segments (环节) of one chain, upstream to downstream.
// Parameters: $chain_id
// Columns: name, stage, position
MATCH (:Chain {id: $chain_id})-[:HAS_SEGMENT]->(s:Segment)
RETURN s.name AS name, s.stage AS stage, s.position AS position
ORDER BY position, name
