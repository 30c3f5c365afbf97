// The chains an organisation operates in (through OPERATES_IN to their segments), by name.
// Parameters: $org_id
// Columns: chain
MATCH (:Organization {id: $org_id})-[:OPERATES_IN]->(s:Segment)
RETURN DISTINCT s.chain AS chain
ORDER BY chain
