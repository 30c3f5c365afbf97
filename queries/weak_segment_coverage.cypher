// Who operates in each segment (环节) of the given chains, per province flag (in_province
// true / false / null), whether the organisation is an enterprise (kind 'enterprise' or not
// given) and whether the placement was inferred from an industry code (OPERATES_IN.inferred):
// how many, how many flagged leaders (龙头), the revenue sums the HHI needs (a revenue is
// known when >= 0; null or negative revenues are left out), the largest revenue overall and
// among flagged leaders (is the top firm a 龙头? -> 链主), how many earn at least
// $leader_min_revenue (the revenue rule for 龙头), and the known capacities (产能).
// Segments nobody operates in have no row (weak_segments lists them all).
// Parameters: $chains (list of chain names), $leader_min_revenue (万元)
// Columns: segment_id, in_province, enterprise, inferred, organizations, leaders,
//   revenue_known, revenue_total, revenue_sq (sum of squared revenues, 万元²), revenue_max,
//   leader_revenue_max, big_firms, capacity_known, capacity_total (万元)
MATCH (s:Segment)<-[r:OPERATES_IN]-(o:Organization)
WHERE s.chain IN $chains
WITH s, o, coalesce(r.inferred, false) AS inferred,
     CASE WHEN o.revenue >= 0.0 THEN o.revenue END AS rev,
     CASE WHEN o.capacity >= 0.0 THEN o.capacity END AS cap
RETURN s.id AS segment_id, o.in_province AS in_province,
       coalesce(o.kind, 'enterprise') = 'enterprise' AS enterprise, inferred,
       count(*) AS organizations,
       sum(CASE WHEN o.leader = true THEN 1 ELSE 0 END) AS leaders, count(rev) AS revenue_known,
       sum(coalesce(rev, 0.0)) AS revenue_total, sum(coalesce(rev * rev, 0.0)) AS revenue_sq,
       max(rev) AS revenue_max, max(CASE WHEN o.leader = true THEN rev END) AS leader_revenue_max,
       sum(CASE WHEN rev >= $leader_min_revenue THEN 1 ELSE 0 END) AS big_firms,
       count(cap) AS capacity_known, sum(coalesce(cap, 0.0)) AS capacity_total
ORDER BY segment_id, in_province, enterprise, inferred
