// Who operates in each segment (环节) of the given chains, per province flag (in_province
// true / false / null) and whether the organisation is an enterprise (kind 'enterprise' or
// not given): how many, how many leaders (龙头), and the revenue sums the HHI needs (a revenue
// is known when >= 0; null or negative revenues are left out). Segments nobody operates in
// have no row (weak_segments lists them all).
// Parameters: $chains (list of chain names)
// Columns: segment_id, in_province, enterprise, organizations, leaders, revenue_known,
//   revenue_total, revenue_sq (sum of squared revenues, 万元²)
MATCH (s:Segment)<-[:OPERATES_IN]-(o:Organization)
WHERE s.chain IN $chains
WITH s, o, CASE WHEN o.revenue >= 0.0 THEN o.revenue END AS rev
RETURN s.id AS segment_id, o.in_province AS in_province,
       coalesce(o.kind, 'enterprise') = 'enterprise' AS enterprise, count(*) AS organizations,
       sum(CASE WHEN o.leader = true THEN 1 ELSE 0 END) AS leaders, count(rev) AS revenue_known,
       sum(coalesce(rev, 0.0)) AS revenue_total, sum(coalesce(rev * rev, 0.0)) AS revenue_sq
ORDER BY segment_id, in_province, enterprise
