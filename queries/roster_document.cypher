// The source document of the roster: its 文号, title, issuer and 印发 date.
// Parameters: $document_id (e.g. 'doc:豫政办〔2021〕61号')
// Columns: number, title, issuer, issued (date)
MATCH (d:Document {id: $document_id})
RETURN d.number AS number, d.title AS title, d.issuer AS issuer, d.issued AS issued
