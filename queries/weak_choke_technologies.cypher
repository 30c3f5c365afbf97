// 卡脖子 technologies of each segment of the given chains: the 技术清单 entries flagged choke
// (卡脖子) that concern the segment (IN_SEGMENT) and are not yet solved (status not one of
// $solved), by name, capped at $cap.
// Parameters: $chains (list of chain names), $solved (statuses meaning solved, e.g. 已突破),
//   $cap (max technologies listed per segment)
// Columns: segment_id, technologies (full count), shown (list of {id, name, status, holder})
MATCH (t:Technology)-[:IN_SEGMENT]->(s:Segment)
WHERE s.chain IN $chains AND t.choke = true AND NOT coalesce(t.status, '') IN $solved
WITH s, t ORDER BY t.name, t.id SKIP 0
WITH s, count(t) AS technologies,
     collect({id: t.id, name: t.name, status: t.status, holder: t.holder}) AS shown
RETURN s.id AS segment_id, technologies, shown[..$cap] AS shown
ORDER BY segment_id
