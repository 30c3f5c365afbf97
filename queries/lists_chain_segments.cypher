// Every chain (重点产业链) with its segments (环节), to check and place list rows.
// Parameters: none.
// Columns: chain_id, chain, former_names, segment_id, segment, industry_codes, description
//   (segment_id, segment, industry_codes and description are null for a chain without segments;
//   former_names: the names earlier roster editions gave the chain, null if none).
MATCH (c:Chain)
OPTIONAL MATCH (c)-[:HAS_SEGMENT]->(s:Segment)
RETURN c.id AS chain_id, c.name AS chain, c.former_names AS former_names, s.id AS segment_id,
       s.name AS segment, s.industry_codes AS industry_codes, s.description AS description
ORDER BY chain_id, segment_id
