// Every chain's segments (环节) by name, in template order (stage rank, then position).
// Parameters: none
// Columns: chain, segment
MATCH (ch:Chain)-[:HAS_SEGMENT]->(s:Segment)
RETURN ch.name AS chain, s.name AS segment
ORDER BY chain, s.stage_rank, s.position, segment
