// Which in-province enterprises (省内企业) operate in each segment (环节) of the given chains:
// their number, leaders (龙头) and the revenue sums the HHI needs. An enterprise is an
// Organization with in_province = true whose kind is 'enterprise' or not given; a revenue
// is known when it is >= 0 (null or negative revenues are left out of the sums).
// Parameters: $chains (list of chain names)
// Columns: chain, segment_id, segment, stage, stage_rank, position, enterprises, leaders,
//   revenue_known, revenue_total, revenue_sq (sum of squared revenues, 万元²),
//   outside_enterprises (organisations with in_province = false operating in the segment)
MATCH (ch:Chain)-[:HAS_SEGMENT]->(s:Segment)
WHERE ch.name IN $chains
OPTIONAL MATCH (o:Organization)-[:OPERATES_IN]->(s)
WHERE o.in_province = true AND coalesce(o.kind, 'enterprise') = 'enterprise'
WITH ch, s, o, CASE WHEN o.revenue >= 0.0 THEN o.revenue END AS rev
WITH ch, s, count(o) AS enterprises,
     sum(CASE WHEN o.leader = true THEN 1 ELSE 0 END) AS leaders,
     count(rev) AS revenue_known, sum(coalesce(rev, 0.0)) AS revenue_total,
     sum(coalesce(rev * rev, 0.0)) AS revenue_sq
RETURN ch.name AS chain, s.id AS segment_id, s.name AS segment, s.stage AS stage,
       s.stage_rank AS stage_rank, s.position AS position, enterprises, leaders,
       revenue_known, revenue_total, revenue_sq,
       COUNT { MATCH (p:Organization)-[:OPERATES_IN]->(s) WHERE p.in_province = false }
         AS outside_enterprises
ORDER BY chain, coalesce(stage_rank, 9), coalesce(position, 9999), segment
