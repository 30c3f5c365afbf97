// The in-province customers of each given segment's output (edges as in weak_local_supply:
// an edge naming its product's segment counts there only), and those whose whole input from
// the segment comes from one supplier (单一来源, largest customers first, capped at $cap, each
// with that supplier's id).
// Parameters: $segments (list of segment ids), $cap (max customers listed per segment)
// Columns: segment_id, customers, single_source_customers,
//   shown (list of {id, name, city, revenue, supplier_id})
MATCH (s:Segment)<-[:OPERATES_IN]-(sup:Organization)-[e:SUPPLIES]->(c:Organization)
WHERE s.id IN $segments AND c.in_province = true AND (e.segment IS NULL OR e.segment = s.id)
WITH s, c, count(DISTINCT sup) AS suppliers, min(sup.id) AS supplier_id
WITH s, c, suppliers, supplier_id ORDER BY coalesce(c.revenue, -1.0) DESC, c.id SKIP 0
WITH s, count(c) AS customers,
     sum(CASE WHEN suppliers = 1 THEN 1 ELSE 0 END) AS single_source_customers,
     collect(CASE WHEN suppliers = 1
             THEN {id: c.id, name: c.name, city: c.city, revenue: c.revenue,
                   supplier_id: supplier_id} END) AS singles
RETURN s.id AS segment_id, customers, single_source_customers, singles[..$cap] AS shown
ORDER BY segment_id
