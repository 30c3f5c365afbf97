// Local supply (本地配套) of each given segment's output: as weak_local_supply.cypher, written
// for Neo4j, which expands each supplier's SUPPLIES in a pattern comprehension faster than it
// aggregates all suppliers first (1M enterprises, 3M SUPPLIES: 9 s instead of 14 s); the
// embedded engine has no pattern comprehension.
// Parameters: $segments (list of segment ids)
// Columns: segment_id, local, suppliers, edges, valued_edges, value
MATCH (s:Segment)<-[:OPERATES_IN]-(sup:Organization)
WHERE s.id IN $segments
WITH s, sup, [(sup)-[e:SUPPLIES]->(c:Organization) WHERE c.in_province = true | e.value] AS values
WHERE size(values) > 0
RETURN s.id AS segment_id, coalesce(sup.in_province, false) AS local, count(sup) AS suppliers,
       sum(size(values)) AS edges, sum(size([v IN values WHERE v IS NOT NULL])) AS valued_edges,
       sum(reduce(t = 0.0, v IN values | t + coalesce(v, 0.0))) AS value
ORDER BY segment_id, local
