// Local supply (本地配套) of each given segment's output: over the SUPPLIES edges whose
// supplier operates in the segment and whose customer is in-province (the local demand for
// what the segment makes; pass the segments that FEED another, see weak_feeding_segments),
// per segment and supplier origin (local: in_province = true, else not): how many suppliers,
// edges, edges with a value, and their value. Suppliers are aggregated first, so each counts
// once per segment without DISTINCT (fast on 3M edges).
// Parameters: $segments (list of segment ids)
// Columns: segment_id, local, suppliers, edges, valued_edges, value
MATCH (s:Segment)<-[:OPERATES_IN]-(sup:Organization)
WHERE s.id IN $segments
WITH DISTINCT sup
MATCH (sup)-[e:SUPPLIES]->(c:Organization)
WHERE c.in_province = true
WITH sup, count(e) AS edges, count(e.value) AS valued_edges, sum(coalesce(e.value, 0.0)) AS value
MATCH (sup)-[:OPERATES_IN]->(s:Segment)
WHERE s.id IN $segments
RETURN s.id AS segment_id, coalesce(sup.in_province, false) AS local, count(sup) AS suppliers,
       sum(edges) AS edges, sum(valued_edges) AS valued_edges, sum(value) AS value
ORDER BY segment_id, local
