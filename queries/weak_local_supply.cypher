// Local supply (本地配套) of each segment's output: over SUPPLIES edges whose supplier operates
// in the segment and whose customer is an in-province organisation operating in a segment
// that this segment FEEDS (its local downstream demand), how many edges and how much value
// come from in-province suppliers, and how many customers have exactly one such supplier
// (customers whose whole input of the segment's output comes from one firm).
// A supplier is local only when in_province = true.
// Parameters: $chains (list of chain names)
// Columns: segment_id, edges, local_edges, valued_edges, value, local_value, customers,
//   single_source_customers
MATCH (ch:Chain)-[:HAS_SEGMENT]->(s:Segment)
WHERE ch.name IN $chains
MATCH (sup:Organization)-[:OPERATES_IN]->(s)
MATCH (sup)-[e:SUPPLIES]->(c:Organization)
WHERE c.in_province = true AND EXISTS { MATCH (c)-[:OPERATES_IN]->(:Segment)<-[:FEEDS]-(s) }
WITH s, c, count(e) AS edges,
     sum(CASE WHEN sup.in_province = true THEN 1 ELSE 0 END) AS local_edges,
     count(e.value) AS valued_edges, sum(coalesce(e.value, 0.0)) AS value,
     sum(CASE WHEN sup.in_province = true THEN coalesce(e.value, 0.0) ELSE 0.0 END) AS local_value,
     count(DISTINCT sup) AS suppliers
RETURN s.id AS segment_id, sum(edges) AS edges, sum(local_edges) AS local_edges,
       sum(valued_edges) AS valued_edges, sum(value) AS value, sum(local_value) AS local_value,
       count(c) AS customers,
       sum(CASE WHEN suppliers = 1 THEN 1 ELSE 0 END) AS single_source_customers
ORDER BY segment_id
