// The segments (环节) of the given chains, in chain order. A segment belongs to the chain its
// `chain` property names (the loaders set it beside HAS_SEGMENT).
// Parameters: $chains (list of chain names)
// Columns: chain, segment_id, segment, stage, stage_rank, position
MATCH (s:Segment)
WHERE s.chain IN $chains
RETURN s.chain AS chain, s.id AS segment_id, s.name AS segment, s.stage AS stage,
       s.stage_rank AS stage_rank, s.position AS position
ORDER BY chain, coalesce(stage_rank, 9), coalesce(position, 9999), segment
