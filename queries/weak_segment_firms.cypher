// The in-province enterprises of each given segment, as evidence: the largest by revenue
// (unknown revenues last), the flagged leaders (龙头) and the firms of unknown revenue, among
// the firms the source placed there (OPERATES_IN not inferred); and apart, the firms placed
// by industry code (inferred, 待核实). Each list capped at $cap (the full counts come from
// weak_segment_coverage).
// Parameters: $segments (list of segment ids), $cap (max entries per list)
// Columns: segment_id, firms, leaders, unknown_revenue, inferred
//   (lists of {id, name, city, revenue, leader}; unknown_revenue of {id, name, city})
MATCH (s:Segment)<-[r:OPERATES_IN]-(x:Organization)
WHERE s.id IN $segments AND x.in_province = true
// The kind test comes after the match: as a match filter it makes the embedded engine
// scan every organisation.
WITH s, coalesce(r.inferred, false) AS inferred,
     CASE WHEN coalesce(x.kind, 'enterprise') = 'enterprise' THEN x END AS o
WITH s, o, inferred WHERE o IS NOT NULL
WITH s, o, inferred ORDER BY coalesce(o.revenue, -1.0) DESC, o.id SKIP 0
WITH s,
     collect(CASE WHEN NOT inferred
             THEN {id: o.id, name: o.name, city: o.city, revenue: o.revenue, leader: o.leader}
             END) AS firms,
     collect(CASE WHEN NOT inferred AND o.leader = true
             THEN {id: o.id, name: o.name, city: o.city, revenue: o.revenue, leader: o.leader}
             END) AS leaders,
     collect(CASE WHEN NOT inferred AND coalesce(o.revenue, -1.0) < 0.0
             THEN {id: o.id, name: o.name, city: o.city} END) AS unknown_revenue,
     collect(CASE WHEN inferred
             THEN {id: o.id, name: o.name, city: o.city, revenue: o.revenue, leader: o.leader}
             END) AS inferred_firms
RETURN s.id AS segment_id, firms[..$cap] AS firms, leaders[..$cap] AS leaders,
       unknown_revenue[..$cap] AS unknown_revenue, inferred_firms[..$cap] AS inferred
ORDER BY segment_id
