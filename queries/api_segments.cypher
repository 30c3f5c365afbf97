// The segments (环节) of every chain, upstream to downstream.
// Parameters: none
// Columns: chain, name, stage, position
MATCH (ch:Chain)-[:HAS_SEGMENT]->(s:Segment)
RETURN ch.name AS chain, s.name AS name, s.stage AS stage, s.position AS position
ORDER BY chain, position, name
