// 国产替代 candidates for segments that depend on suppliers abroad (境外): the domestic
// organisations operating in each given segment (country empty or one of $domestic),
// in-province first, then by revenue (unknown last), capped at $cap.
// Parameters: $segments (list of segment ids), $domestic (country names read as 中国),
//   $cap (max candidates per segment)
// Columns: segment_id, candidates (full count), shown (list of {id, name, city, in_province,
//   province, revenue, leader})
MATCH (s:Segment)<-[:OPERATES_IN]-(o:Organization)
WHERE s.id IN $segments AND coalesce(o.country, '中国') IN $domestic
WITH s, o
ORDER BY CASE WHEN o.in_province = true THEN 0 ELSE 1 END, coalesce(o.revenue, -1.0) DESC, o.id
SKIP 0
WITH s, count(o) AS candidates,
     collect({id: o.id, name: o.name, city: o.city, in_province: o.in_province,
              province: o.province, revenue: o.revenue, leader: o.leader}) AS shown
RETURN s.id AS segment_id, candidates, shown[..$cap] AS shown
ORDER BY segment_id
