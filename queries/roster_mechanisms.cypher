// The working mechanisms the document establishes (二、工作机制), with their cadence.
// Parameters: $document_id
// Columns: key, name, convener, cadence, cadence_text, source_ref
MATCH (:Document {id: $document_id})-[:ESTABLISHES]->(m:Mechanism)
RETURN m.key AS key, m.name AS name, m.convener AS convener, m.cadence AS cadence,
       m.cadence_text AS cadence_text, m.source_ref AS source_ref, m.position AS position
ORDER BY position
