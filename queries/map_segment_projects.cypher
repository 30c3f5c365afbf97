// The projects (项目清单) concerning the segments of one chain, for the segment panel.
// Parameters: $chain_id
// Columns: segment_id, id, name, city, investment, status, source, source_ref, as_of, synthetic
MATCH (:Chain {id: $chain_id})-[:HAS_SEGMENT]->(s:Segment)<-[:IN_SEGMENT]-(n:Project)
RETURN s.id AS segment_id, n.id AS id, n.name AS name, n.city AS city,
       n.investment AS investment, n.status AS status,
       n.source AS source, n.source_ref AS source_ref, n.as_of AS as_of, n.synthetic AS synthetic
ORDER BY segment_id, name, id
