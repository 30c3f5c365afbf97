// The investment targets (招商清单) for the segments of one chain, for the segment panel.
// Parameters: $chain_id
// Columns: segment_id, id, name, origin, priority, status, reason, source, source_ref, as_of,
//          synthetic
MATCH (:Chain {id: $chain_id})-[:HAS_SEGMENT]->(s:Segment)<-[:IN_SEGMENT]-(n:InvestmentTarget)
RETURN s.id AS segment_id, n.id AS id, n.name AS name, n.origin AS origin,
       n.priority AS priority, n.status AS status, n.reason AS reason,
       n.source AS source, n.source_ref AS source_ref, n.as_of AS as_of, n.synthetic AS synthetic
ORDER BY segment_id, name, id
