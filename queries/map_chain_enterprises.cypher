// The organisations operating in the segments of one chain, one row per organisation and segment.
// Parameters: $chain_id
// Columns: segment_id, inferred, id, name, kind, uscc, city, in_province, revenue, employees,
//          leader, specialized, listed, industry_code, source, source_ref, as_of, loaded_at, synthetic
MATCH (:Chain {id: $chain_id})-[:HAS_SEGMENT]->(s:Segment)<-[r:OPERATES_IN]-(n:Organization)
RETURN s.id AS segment_id, r.inferred AS inferred,
       n.id AS id, n.name AS name, n.kind AS kind, n.uscc AS uscc, n.city AS city,
       n.in_province AS in_province, n.revenue AS revenue, n.employees AS employees,
       n.leader AS leader, n.specialized AS specialized, n.listed AS listed,
       n.industry_code AS industry_code,
       n.source AS source, n.source_ref AS source_ref, n.as_of AS as_of,
       n.loaded_at AS loaded_at, n.synthetic AS synthetic
ORDER BY segment_id, id
