// The facts behind eval_enterprises for one chain: its in-province enterprises as of a date,
// with the values the indicators count and where each fact came from; largest revenue first.
// Parameters: $chain (chain name), $as_of (date), $limit
// Columns: id, name, uscc, city, revenue, leader, specialized, listed, source, source_ref, as_of
MATCH (ch:Chain {name: $chain})-[:HAS_SEGMENT]->(:Segment)<-[r:OPERATES_IN]-(o:Organization)
WHERE o.in_province = true AND coalesce(o.kind, 'enterprise') = 'enterprise'
  AND (r.as_of IS NULL OR r.as_of <= $as_of)
WITH DISTINCT o
RETURN o.id AS id, o.name AS name, o.uscc AS uscc, o.city AS city, o.revenue AS revenue,
       o.leader AS leader, o.specialized AS specialized, o.listed AS listed,
       o.source AS source, o.source_ref AS source_ref, o.as_of AS as_of
ORDER BY coalesce(revenue, -1.0) DESC, id
LIMIT $limit
