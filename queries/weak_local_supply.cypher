// Local supply (本地配套) of each given segment's output: over the SUPPLIES edges whose
// supplier operates in the segment and whose customer is in-province (the local demand for
// what the segment makes; pass the segments that FEED another, see weak_feeding_segments).
// An edge that names its product's segment (SUPPLIES.segment) counts in that segment only;
// an edge without it counts in every given segment its supplier operates in (the fallback,
// reported as untagged_edges). Per segment and supplier origin (origin: 'local' when
// in_province = true, else 'foreign' when the supplier's country is given and not one of
// $domestic, else 'outside'): how many suppliers, edges, untagged edges, edges with a value,
// and their value. Suppliers are aggregated first, so each counts once per segment without
// DISTINCT (fast on 3M edges).
// Parameters: $segments (list of segment ids), $domestic (country names read as 中国)
// Columns: segment_id, origin, suppliers, edges, untagged_edges, valued_edges, value
MATCH (s:Segment)<-[:OPERATES_IN]-(sup:Organization)
WHERE s.id IN $segments
WITH DISTINCT sup
MATCH (sup)-[e:SUPPLIES]->(c:Organization)
WHERE c.in_province = true
WITH sup, e.segment AS tag, count(e) AS edges, count(e.value) AS valued_edges,
     sum(coalesce(e.value, 0.0)) AS value
MATCH (sup)-[:OPERATES_IN]->(s:Segment)
WHERE s.id IN $segments AND (tag IS NULL OR tag = s.id)
WITH s, sup, sum(edges) AS edges, sum(CASE WHEN tag IS NULL THEN edges ELSE 0 END) AS untagged,
     sum(valued_edges) AS valued_edges, sum(value) AS value
RETURN s.id AS segment_id,
       CASE WHEN sup.in_province = true THEN 'local'
            WHEN NOT coalesce(sup.country, '中国') IN $domestic THEN 'foreign'
            ELSE 'outside' END AS origin,
       count(sup) AS suppliers, sum(edges) AS edges, sum(untagged) AS untagged_edges,
       sum(valued_edges) AS valued_edges, sum(value) AS value
ORDER BY segment_id, origin
