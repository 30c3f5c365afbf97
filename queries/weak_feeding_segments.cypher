// The segments of the given chains that FEED another segment (in any chain): only these have
// a local downstream demand for their output (a chain's end products go to the market).
// Parameters: $chains (list of chain names)
// Columns: segment_id
MATCH (s:Segment)-[:FEEDS]->(:Segment)
WHERE s.chain IN $chains
RETURN DISTINCT s.id AS segment_id
ORDER BY segment_id
