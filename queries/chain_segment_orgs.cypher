// The organisations operating in one segment (环节), e.g. to remove them all in a what-if.
// Parameters: $segment_id
// Columns: id, name
MATCH (o:Organization)-[:OPERATES_IN]->(s:Segment {id: $segment_id})
RETURN o.id AS id, o.name AS name
ORDER BY id
