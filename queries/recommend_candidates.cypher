// 补链 candidates: the out-of-province organisations (in_province = false) operating in each
// given segment, ranked by the value of their existing supplies to in-province organisations
// (万元), then the number of those SUPPLIES edges, then by revenue (unknown last), capped at $cap.
// Parameters: $segments (list of segment ids), $cap (max candidates per segment)
// Columns: segment_id, candidates (full count), shown (list of {id, name, city, revenue,
//   province, country, leader, ties, tie_value, local_customers})
MATCH (s:Segment)<-[:OPERATES_IN]-(o:Organization)
WHERE s.id IN $segments AND o.in_province = false
OPTIONAL MATCH (o)-[e:SUPPLIES]->(c:Organization)
WHERE c.in_province = true
WITH s, o, count(e) AS ties, sum(coalesce(e.value, 0.0)) AS tie_value,
     count(DISTINCT c) AS local_customers
WITH s, o, ties, tie_value, local_customers
ORDER BY tie_value DESC, ties DESC, coalesce(o.revenue, -1.0) DESC, o.id SKIP 0
WITH s, count(o) AS candidates,
     collect({id: o.id, name: o.name, city: o.city, province: o.province, country: o.country,
              revenue: o.revenue, leader: o.leader,
              ties: ties, tie_value: tie_value, local_customers: local_customers}) AS shown
RETURN s.id AS segment_id, candidates, shown[..$cap] AS shown
ORDER BY segment_id
