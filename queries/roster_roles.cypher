// The roles the document defines with their numbered duties (一、工作职责); one row per duty.
// Parameters: $document_id
// Columns: key, name, held_by, number, title, text, position
MATCH (:Document {id: $document_id})-[:DEFINES]->(r:Role)
OPTIONAL MATCH (r)-[:HAS_DUTY]->(d:Duty)
RETURN r.key AS key, r.name AS name, r.held_by AS held_by, d.number AS number,
       d.title AS title, d.text AS text, d.position AS position
ORDER BY key, position
