// The key technologies (技术清单, 卡脖子 or not) of the segments of one chain, for the segment panel.
// Parameters: $chain_id
// Columns: segment_id, id, name, choke, status, holder, source, source_ref, as_of, synthetic
MATCH (:Chain {id: $chain_id})-[:HAS_SEGMENT]->(s:Segment)<-[:IN_SEGMENT]-(n:Technology)
RETURN s.id AS segment_id, n.id AS id, n.name AS name, n.choke AS choke, n.status AS status,
       n.holder AS holder,
       n.source AS source, n.source_ref AS source_ref, n.as_of AS as_of, n.synthetic AS synthetic
ORDER BY segment_id, name, id
