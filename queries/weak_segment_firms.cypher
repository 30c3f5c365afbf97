// The in-province enterprises of each segment of the given chains, as evidence: the largest
// by revenue (unknown revenues last), the leaders (龙头) and the firms of unknown revenue,
// each list capped at $cap (the full counts come from weak_segment_coverage).
// Parameters: $chains (list of chain names), $cap (max entries per list)
// Columns: segment_id, firms, leaders, unknown_revenue
//   (lists of {id, name, city, revenue, leader}; unknown_revenue of {id, name, city})
MATCH (ch:Chain)-[:HAS_SEGMENT]->(s:Segment)
WHERE ch.name IN $chains
MATCH (o:Organization)-[:OPERATES_IN]->(s)
WHERE o.in_province = true AND coalesce(o.kind, 'enterprise') = 'enterprise'
WITH s, o ORDER BY coalesce(o.revenue, -1.0) DESC, o.id SKIP 0
WITH s,
     collect({id: o.id, name: o.name, city: o.city, revenue: o.revenue, leader: o.leader})
       AS firms,
     collect(CASE WHEN o.leader = true
             THEN {id: o.id, name: o.name, city: o.city, revenue: o.revenue, leader: o.leader}
             END) AS leaders,
     collect(CASE WHEN coalesce(o.revenue, -1.0) < 0.0
             THEN {id: o.id, name: o.name, city: o.city} END) AS unknown_revenue
RETURN s.id AS segment_id, firms[..$cap] AS firms, leaders[..$cap] AS leaders,
       unknown_revenue[..$cap] AS unknown_revenue
ORDER BY segment_id
