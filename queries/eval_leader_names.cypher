// Per chain, the in-province 龙头 enterprises operating in its segments as of a date, by name
// (the year-over-year section names the new ones). Membership dated as in eval_enterprises.
// Parameters: $chains (chain names), $as_of (date)
// Columns: chain, id, name
MATCH (ch:Chain)-[:HAS_SEGMENT]->(:Segment)<-[r:OPERATES_IN]-(o:Organization)
WHERE ch.name IN $chains AND o.in_province = true AND o.leader = true
  AND coalesce(o.kind, 'enterprise') = 'enterprise'
  AND (r.as_of IS NULL OR r.as_of <= $as_of)
RETURN DISTINCT ch.name AS chain, o.id AS id, o.name AS name
ORDER BY chain, name, id
