// One problem of the ledger (问题台账) with every property.
// Parameters: $id (problem id).
// Columns: p (the Problem's properties).
MATCH (p:Problem {id: $id})
RETURN p
