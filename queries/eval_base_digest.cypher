// What the facts outside list versions (version null: roster, templates, the bulk demo) add up
// to, per kind: counts, sums and flag counts that change when those facts change. A closed
// year's kept reading (queries/year_cache.py) is recomputed when this answer differs.
// Parameters: none
// Sums of floats may differ in the last bits between runs (summation order): the caller
// rounds them.
// Columns: kind, facts, sum_a, sum_b, count_a, count_b, count_c, count_d
MATCH (o:Organization) WHERE o.version IS NULL
WITH count(o) AS facts, sum(o.revenue) AS sum_a, sum(o.capacity) AS sum_b,
     count(CASE WHEN o.leader = true THEN 1 END) AS count_a,
     count(CASE WHEN o.in_province = true THEN 1 END) AS count_b,
     count(CASE WHEN o.specialized = true THEN 1 END) AS count_c,
     count(CASE WHEN o.listed = true THEN 1 END) AS count_d
RETURN 'Organization' AS kind, facts, sum_a, sum_b, count_a, count_b, count_c, count_d
UNION ALL
MATCH ()-[r:OPERATES_IN]->() WHERE r.version IS NULL
WITH count(r) AS facts
RETURN 'OPERATES_IN' AS kind, facts, 0.0 AS sum_a, 0.0 AS sum_b, 0 AS count_a, 0 AS count_b,
       0 AS count_c, 0 AS count_d
UNION ALL
MATCH ()-[r:SUPPLIES]->() WHERE r.version IS NULL
WITH count(r) AS facts, sum(r.value) AS sum_a
RETURN 'SUPPLIES' AS kind, facts, sum_a, 0.0 AS sum_b, 0 AS count_a, 0 AS count_b,
       0 AS count_c, 0 AS count_d
UNION ALL
MATCH (s:Segment)
WITH count(s) AS facts, count(s.stage) AS count_a, count(s.chain) AS count_b,
     count(CASE WHEN s.stage = 'upstream' THEN 1 END) AS count_c,
     count(CASE WHEN s.stage = 'downstream' THEN 1 END) AS count_d
RETURN 'Segment' AS kind, facts, 0.0 AS sum_a, 0.0 AS sum_b, count_a, count_b, count_c, count_d
UNION ALL
MATCH (:Segment)-[f:FEEDS]->(:Segment)
WITH count(f) AS facts, count(CASE WHEN f.cross_chain = true THEN 1 END) AS count_a,
     count(CASE WHEN f.loop_back = true THEN 1 END) AS count_b
RETURN 'FEEDS' AS kind, facts, 0.0 AS sum_a, 0.0 AS sum_b, count_a, count_b, 0 AS count_c,
       0 AS count_d
UNION ALL
MATCH (c:Chain)-[:HAS_SEGMENT]->(:Segment)
WITH count(c) AS facts, count(DISTINCT c) AS count_a
RETURN 'HAS_SEGMENT' AS kind, facts, 0.0 AS sum_a, 0.0 AS sum_b, count_a, 0 AS count_b,
       0 AS count_c, 0 AS count_d
UNION ALL
MATCH (n)-[r:LISTED_FOR]->(:Chain) WHERE r.version IS NULL
WITH count(r) AS facts, count(r.as_of) AS count_a, count(n.status) AS count_b,
     count(CASE WHEN n.choke = true THEN 1 END) AS count_c, count(n.level) AS count_d
RETURN 'LISTED_FOR' AS kind, facts, 0.0 AS sum_a, 0.0 AS sum_b, count_a, count_b, count_c,
       count_d
