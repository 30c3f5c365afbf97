// 补链 candidates from the chain's 项目清单: the projects of each given segment (IN_SEGMENT)
// that are not yet producing (status one of $statuses, e.g. 在建, 拟建).
// Parameters: $segments (list of segment ids), $statuses (project statuses that count)
// Columns: segment_id, id, name, city, investment, status, owner, start_year
MATCH (p:Project)-[:IN_SEGMENT]->(s:Segment)
WHERE s.id IN $segments AND p.status IN $statuses
RETURN s.id AS segment_id, p.id AS id, p.name AS name, p.city AS city,
       p.investment AS investment, p.status AS status, p.owner AS owner,
       p.start_year AS start_year
ORDER BY segment_id, id
