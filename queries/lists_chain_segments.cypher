// Every chain (重点产业链) with its segments (环节), to check and place list rows.
// Parameters: none.
// Columns: chain_id, chain, segment_id, segment, industry_codes
//   (segment_id, segment and industry_codes are null for a chain without segments).
MATCH (c:Chain)
OPTIONAL MATCH (c)-[:HAS_SEGMENT]->(s:Segment)
RETURN c.id AS chain_id, c.name AS chain, s.id AS segment_id, s.name AS segment,
       s.industry_codes AS industry_codes
ORDER BY chain_id, segment_id
