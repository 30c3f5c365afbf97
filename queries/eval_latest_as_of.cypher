// The latest date a chain's membership facts (OPERATES_IN, LISTED_FOR) are dated at, per kind:
// the evaluation's "current" year.
// Parameters: none
// Columns: as_of
MATCH (:Organization)-[r:OPERATES_IN]->(:Segment)
RETURN max(r.as_of) AS as_of
UNION ALL
MATCH ()-[r:LISTED_FOR]->(:Chain)
RETURN max(r.as_of) AS as_of
