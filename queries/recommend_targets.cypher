// 补链 candidates from the chain's own 招商清单: the investment targets listed for each given
// segment (IN_SEGMENT), with the revenue of the organisation a target names (CONCERNS), if any.
// Parameters: $segments (list of segment ids)
// Columns: segment_id, id, name, origin, reason, priority, status, revenue
MATCH (t:InvestmentTarget)-[:IN_SEGMENT]->(s:Segment)
WHERE s.id IN $segments
OPTIONAL MATCH (t)-[:CONCERNS]->(o:Organization)
RETURN s.id AS segment_id, t.id AS id, t.name AS name, t.origin AS origin, t.reason AS reason,
       t.priority AS priority, t.status AS status, max(o.revenue) AS revenue
ORDER BY segment_id, id
