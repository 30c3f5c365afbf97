// Evidence for low local supply (本地配套率低) and single sourcing (单一来源): the suppliers of
// the local demand for each given segment's output (edges as in weak_local_supply), largest
// first by value then edges, and the largest of those not known to be in-province, each list
// capped at $cap.
// Parameters: $segments (list of segment ids), $cap (max suppliers per list)
// Columns: segment_id, shown, outside_shown
//   (lists of {id, name, city, in_province, edges, value})
MATCH (s:Segment)<-[:OPERATES_IN]-(sup:Organization)-[e:SUPPLIES]->(c:Organization)
WHERE s.id IN $segments AND c.in_province = true
WITH s, sup, count(e) AS edges, sum(coalesce(e.value, 0.0)) AS value
WITH s, sup, edges, value ORDER BY value DESC, edges DESC, sup.id SKIP 0
WITH s,
     collect({id: sup.id, name: sup.name, city: sup.city, in_province: sup.in_province,
              edges: edges, value: value}) AS everyone,
     collect(CASE WHEN coalesce(sup.in_province, false) = false
             THEN {id: sup.id, name: sup.name, city: sup.city, in_province: sup.in_province,
                   edges: edges, value: value} END) AS outside
RETURN s.id AS segment_id, everyone[..$cap] AS shown, outside[..$cap] AS outside_shown
ORDER BY segment_id
