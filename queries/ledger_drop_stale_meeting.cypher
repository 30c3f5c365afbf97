// Drop a problem's ROUTED_TO links to any meeting other than its current one.
// Parameters: $id (problem id), $meeting_id (current meeting's id, "" for none).
// Columns: none.
MATCH (p:Problem {id: $id})-[r:ROUTED_TO]->(m:Meeting)
WHERE m.id <> $meeting_id
DELETE r
