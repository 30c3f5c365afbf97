// Who supplies each segment's local downstream demand (same edges as weak_local_supply):
// how many distinct suppliers, how many of them in-province, the largest suppliers (by value,
// then edges) and the largest suppliers not known to be in-province, each list capped at $cap.
// Evidence for low local supply (本地配套率低) and for a single source (单一来源).
// Parameters: $chains (list of chain names), $cap (max suppliers listed per list)
// Columns: segment_id, suppliers, local_suppliers, shown, outside_shown
//   (lists of {id, name, city, in_province, edges, value, customers})
MATCH (ch:Chain)-[:HAS_SEGMENT]->(s:Segment)
WHERE ch.name IN $chains
MATCH (sup:Organization)-[:OPERATES_IN]->(s)
MATCH (sup)-[e:SUPPLIES]->(c:Organization)
WHERE c.in_province = true AND EXISTS { MATCH (c)-[:OPERATES_IN]->(:Segment)<-[:FEEDS]-(s) }
WITH s, sup, count(e) AS edges, sum(coalesce(e.value, 0.0)) AS value,
     count(DISTINCT c) AS customers
WITH s, sup, edges, value, customers ORDER BY value DESC, edges DESC, sup.id SKIP 0
WITH s, count(sup) AS suppliers,
     sum(CASE WHEN sup.in_province = true THEN 1 ELSE 0 END) AS local_suppliers,
     collect({id: sup.id, name: sup.name, city: sup.city, in_province: sup.in_province,
              edges: edges, value: value, customers: customers}) AS everyone,
     collect(CASE WHEN coalesce(sup.in_province, false) = false
             THEN {id: sup.id, name: sup.name, city: sup.city, in_province: sup.in_province,
                   edges: edges, value: value, customers: customers} END) AS outside
RETURN s.id AS segment_id, suppliers, local_suppliers, everyone[..$cap] AS shown,
       outside[..$cap] AS outside_shown
ORDER BY segment_id
