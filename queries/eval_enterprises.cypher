// Per chain, the in-province enterprises (省内企业) operating in its segments as of a date:
// how many, their revenue (营业收入, 万元; a revenue is known when >= 0), how many are 龙头,
// 专精特新 and 上市, and how many earn at least 100亿 / 10亿 元. An enterprise in two segments of
// a chain counts once. Membership is dated by the OPERATES_IN fact's as_of (a fact without
// as_of counts at every date). ``*_known`` columns count the enterprises whose flag or revenue
// the lists give: 0 means the value is missing, not 0. Chains with no enterprise have no row.
// Parameters: $chains (chain names), $as_of (date)
// Columns: chain, enterprises, revenue, revenue_known, leaders, leaders_known, specialized,
//   specialized_known, listed, listed_known, band_10bn, band_10bn_known, band_1bn, band_1bn_known
MATCH (ch:Chain)-[:HAS_SEGMENT]->(:Segment)<-[r:OPERATES_IN]-(o:Organization)
WHERE ch.name IN $chains AND o.in_province = true
  AND coalesce(o.kind, 'enterprise') = 'enterprise'
  AND (r.as_of IS NULL OR r.as_of <= $as_of)
WITH DISTINCT ch.name AS chain, o
WITH chain, o, CASE WHEN o.revenue >= 0.0 THEN o.revenue END AS rev
RETURN chain, count(o) AS enterprises,
       sum(coalesce(rev, 0.0)) AS revenue, count(rev) AS revenue_known,
       sum(CASE WHEN o.leader = true THEN 1 ELSE 0 END) AS leaders,
       count(o.leader) AS leaders_known,
       sum(CASE WHEN o.specialized = true THEN 1 ELSE 0 END) AS specialized,
       count(o.specialized) AS specialized_known,
       sum(CASE WHEN o.listed = true THEN 1 ELSE 0 END) AS listed,
       count(o.listed) AS listed_known,
       sum(CASE WHEN rev >= 1000000.0 THEN 1 ELSE 0 END) AS band_10bn,
       count(rev) AS band_10bn_known,
       sum(CASE WHEN rev >= 100000.0 THEN 1 ELSE 0 END) AS band_1bn,
       count(rev) AS band_1bn_known
ORDER BY chain
