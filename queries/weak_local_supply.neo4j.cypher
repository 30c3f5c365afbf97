// Local supply (本地配套) of each given segment's output: as weak_local_supply.cypher, written
// for Neo4j, which expands each supplier's SUPPLIES in a pattern comprehension faster than it
// aggregates all suppliers first (1M enterprises, 3M SUPPLIES: 9 s instead of 14 s); the
// embedded engine has no pattern comprehension.
// Parameters: $segments (list of segment ids), $domestic (country names read as 中国)
// Columns: segment_id, origin, suppliers, edges, untagged_edges, valued_edges, value
MATCH (s:Segment)<-[:OPERATES_IN]-(sup:Organization)
WHERE s.id IN $segments
WITH s, sup,
     [(sup)-[e:SUPPLIES]->(c:Organization)
      WHERE c.in_province = true AND (e.segment IS NULL OR e.segment = s.id)
      | {v: e.value, u: e.segment IS NULL}] AS es
WHERE size(es) > 0
RETURN s.id AS segment_id,
       CASE WHEN sup.in_province = true THEN 'local'
            WHEN NOT coalesce(sup.country, '中国') IN $domestic THEN 'foreign'
            ELSE 'outside' END AS origin,
       count(sup) AS suppliers, sum(size(es)) AS edges,
       sum(size([x IN es WHERE x.u])) AS untagged_edges,
       sum(size([x IN es WHERE x.v IS NOT NULL])) AS valued_edges,
       sum(reduce(t = 0.0, x IN es | t + coalesce(x.v, 0.0))) AS value
ORDER BY segment_id, origin
