// The in-province enterprises of each given segment, as evidence: the largest by revenue
// (unknown revenues last), the leaders (龙头) and the firms of unknown revenue, each list
// capped at $cap (the full counts come from weak_segment_coverage).
// Parameters: $segments (list of segment ids), $cap (max entries per list)
// Columns: segment_id, firms, leaders, unknown_revenue
//   (lists of {id, name, city, revenue, leader}; unknown_revenue of {id, name, city})
MATCH (s:Segment)<-[:OPERATES_IN]-(x:Organization)
WHERE s.id IN $segments AND x.in_province = true
// The kind test comes after the match: as a match filter it makes the embedded engine
// scan every organisation.
WITH s, CASE WHEN coalesce(x.kind, 'enterprise') = 'enterprise' THEN x END AS o
WITH s, o WHERE o IS NOT NULL
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
