// Evidence for single sourcing (单一来源): the in-province customers whose whole input from a
// segment (over the edges of weak_local_supply) comes from one supplier, largest customers
// first, capped at $cap, each with that supplier.
// Parameters: $chains (list of chain names), $cap (max customers listed per segment)
// Columns: segment_id, customers (full count), shown (list of {id, name, city, revenue,
//   supplier_id, supplier, supplier_in_province})
MATCH (ch:Chain)-[:HAS_SEGMENT]->(s:Segment)
WHERE ch.name IN $chains
MATCH (sup:Organization)-[:OPERATES_IN]->(s)
MATCH (sup)-[:SUPPLIES]->(c:Organization)
WHERE c.in_province = true AND EXISTS { MATCH (c)-[:OPERATES_IN]->(:Segment)<-[:FEEDS]-(s) }
WITH s, c, count(DISTINCT sup) AS suppliers, min(sup.id) AS supplier_id
WHERE suppliers = 1
MATCH (one:Organization)
WHERE one.id = supplier_id
WITH s, c, one ORDER BY coalesce(c.revenue, -1.0) DESC, c.id SKIP 0
WITH s, count(c) AS customers,
     collect({id: c.id, name: c.name, city: c.city, revenue: c.revenue, supplier_id: one.id,
              supplier: one.name, supplier_in_province: one.in_province}) AS shown
RETURN s.id AS segment_id, customers, shown[..$cap] AS shown
ORDER BY segment_id
