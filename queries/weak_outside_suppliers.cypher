// Evidence for low local supply (本地配套率低): the suppliers not known to be in-province that
// serve each segment's local downstream demand (same edges as weak_local_supply), largest
// first by value then edges, capped at $cap.
// Parameters: $chains (list of chain names), $cap (max suppliers listed per segment)
// Columns: segment_id, suppliers (full count), shown (list of {id, name, city, in_province,
//   edges, value, customers})
MATCH (ch:Chain)-[:HAS_SEGMENT]->(s:Segment)
WHERE ch.name IN $chains
MATCH (sup:Organization)-[:OPERATES_IN]->(s)
WHERE coalesce(sup.in_province, false) = false
MATCH (sup)-[e:SUPPLIES]->(c:Organization)
WHERE c.in_province = true AND EXISTS { MATCH (c)-[:OPERATES_IN]->(:Segment)<-[:FEEDS]-(s) }
WITH s, sup, count(e) AS edges, sum(coalesce(e.value, 0.0)) AS value,
     count(DISTINCT c) AS customers
WITH s, sup, edges, value, customers ORDER BY value DESC, edges DESC, sup.id SKIP 0
WITH s, count(sup) AS suppliers,
     collect({id: sup.id, name: sup.name, city: sup.city, in_province: sup.in_province,
              edges: edges, value: value, customers: customers}) AS shown
RETURN s.id AS segment_id, suppliers, shown[..$cap] AS shown
ORDER BY segment_id
