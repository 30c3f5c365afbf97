// Every chain (重点产业链) with its segments (环节), to check and place list rows.
// Parameters: none.
// Columns: chain_id, chain, segment_id, segment, industry_codes, description
//   (segment_id, segment, industry_codes and description are null for a chain without segments).
MATCH (c:Chain)
OPTIONAL MATCH (c)-[:HAS_SEGMENT]->(s:Segment)
RETURN c.id AS chain_id, c.name AS chain, s.id AS segment_id, s.name AS segment,
       s.industry_codes AS industry_codes, s.description AS description
ORDER BY chain_id, segment_id
