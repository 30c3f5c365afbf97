// The FEEDS links (segment -> segment) leaving or entering one chain's segments, also across chains.
// Parameters: $chain_id
// Columns: from_id, from_name, from_chain, from_stage, to_id, to_name, to_chain, to_stage,
//          product, cross_chain, source, source_ref, as_of, loaded_at, synthetic
MATCH (:Chain {id: $chain_id})-[:HAS_SEGMENT]->(a:Segment)-[f:FEEDS]->(b:Segment)
RETURN a.id AS from_id, a.name AS from_name, a.chain AS from_chain, a.stage AS from_stage,
       b.id AS to_id, b.name AS to_name, b.chain AS to_chain, b.stage AS to_stage,
       f.product AS product, f.cross_chain AS cross_chain,
       f.source AS source, f.source_ref AS source_ref, f.as_of AS as_of,
       f.loaded_at AS loaded_at, f.synthetic AS synthetic
UNION
MATCH (:Chain {id: $chain_id})-[:HAS_SEGMENT]->(b:Segment)<-[f:FEEDS]-(a:Segment)
RETURN a.id AS from_id, a.name AS from_name, a.chain AS from_chain, a.stage AS from_stage,
       b.id AS to_id, b.name AS to_name, b.chain AS to_chain, b.stage AS to_stage,
       f.product AS product, f.cross_chain AS cross_chain,
       f.source AS source, f.source_ref AS source_ref, f.as_of AS as_of,
       f.loaded_at AS loaded_at, f.synthetic AS synthetic
