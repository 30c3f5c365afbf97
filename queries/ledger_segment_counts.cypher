// Problem counts per segment (环节) of a chain, for the maps' segment panels.
// Parameters: $chain_id, $today (date: what counts as overdue).
// Columns: segment_id, segment, total, open, overdue.
MATCH (c:Chain {id: $chain_id})-[:HAS_SEGMENT]->(s:Segment)<-[:IN_SEGMENT]-(p:Problem)
RETURN s.id AS segment_id, s.name AS segment, count(p) AS total,
       sum(CASE WHEN p.is_open THEN 1 ELSE 0 END) AS open,
       sum(CASE WHEN p.is_open AND p.due < $today THEN 1 ELSE 0 END) AS overdue
ORDER BY segment
