// The segments (环节) of one chain, upstream first: the columns of the chain map.
// Parameters: $chain_id
// Columns: id, name, stage, stage_rank, position, description, industry_codes,
//          source, source_ref, as_of, loaded_at, synthetic
MATCH (:Chain {id: $chain_id})-[:HAS_SEGMENT]->(n:Segment)
RETURN n.id AS id, n.name AS name, n.stage AS stage, n.stage_rank AS stage_rank,
       n.position AS position, n.description AS description, n.industry_codes AS industry_codes,
       n.source AS source, n.source_ref AS source_ref, n.as_of AS as_of,
       n.loaded_at AS loaded_at, n.synthetic AS synthetic
ORDER BY stage_rank, position, name
