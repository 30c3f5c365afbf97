// The recorded changes of one problem, oldest first.
// Parameters: $id (problem id).
// Columns: e (the ProblemEvent's properties).
MATCH (:Problem {id: $id})-[:HAS_EVENT]->(e:ProblemEvent)
RETURN e
ORDER BY e.seq
