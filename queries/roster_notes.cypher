// Every correction applied to the document and every gap in it, in the order recorded.
// Parameters: $document_id
// Columns: kind ('correction' | 'gap' | 'normalisation' | 'discrepancy'), text, source
MATCH (:Document {id: $document_id})-[:HAS_NOTE]->(n:SourceNote)
RETURN n.kind AS kind, n.text AS text, n.source_ref AS source, n.position AS position
ORDER BY position
