// Evidence for low local supply (本地配套率低), single sourcing (单一来源) and foreign
// dependence (境外依赖): the suppliers of the local demand for each given segment's output
// (edges as in weak_local_supply: an edge naming its product's segment counts there only),
// largest first by value then edges, the largest of those not known to be in-province, and
// the largest of those abroad (country given and not one of $domestic), each capped at $cap.
// Parameters: $segments (list of segment ids), $cap (max suppliers per list),
//   $domestic (country names read as 中国)
// Columns: segment_id, shown, outside_shown, foreign_shown
//   (lists of {id, name, city, in_province, country, edges, value})
MATCH (s:Segment)<-[:OPERATES_IN]-(sup:Organization)-[e:SUPPLIES]->(c:Organization)
WHERE s.id IN $segments AND c.in_province = true AND (e.segment IS NULL OR e.segment = s.id)
WITH s, sup, count(e) AS edges, sum(coalesce(e.value, 0.0)) AS value
WITH s, sup, edges, value ORDER BY value DESC, edges DESC, sup.id SKIP 0
WITH s,
     collect({id: sup.id, name: sup.name, city: sup.city, in_province: sup.in_province,
              country: sup.country, edges: edges, value: value}) AS everyone,
     collect(CASE WHEN coalesce(sup.in_province, false) = false
             THEN {id: sup.id, name: sup.name, city: sup.city, in_province: sup.in_province,
                   country: sup.country, edges: edges, value: value} END) AS outside,
     collect(CASE WHEN coalesce(sup.in_province, false) = false
                   AND NOT coalesce(sup.country, '中国') IN $domestic
             THEN {id: sup.id, name: sup.name, city: sup.city, in_province: sup.in_province,
                   country: sup.country, edges: edges, value: value} END) AS abroad
RETURN s.id AS segment_id, everyone[..$cap] AS shown, outside[..$cap] AS outside_shown,
       abroad[..$cap] AS foreign_shown
ORDER BY segment_id
