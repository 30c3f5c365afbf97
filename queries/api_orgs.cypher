// Organisations after a cursor id, filtered; one page in id order (fetch limit+1 to know if more follow).
// A filter given as '' (strings) or 'any' (flags: 'true' | 'false' | 'any') does not apply.
// leader/specialized/listed unknown count as false; in_province unknown matches neither value.
// chain: operates in one of its segments (OPERATES_IN), or is its responsible unit or alliance chair;
// segment: operates in a segment of that name (of the chain, when a chain is given too).
// Parameters: $after, $limit, $chain, $segment, $city, $leader, $specialized, $listed, $in_province
// Columns: id, name, kind, uscc, city, in_province, revenue, employees, leader, specialized, listed,
//          industry_code
MATCH (o:Organization)
WHERE o.id > $after
  AND ($city = '' OR o.city = $city)
  AND ($leader = 'any' OR coalesce(o.leader, false) = ($leader = 'true'))
  AND ($specialized = 'any' OR coalesce(o.specialized, false) = ($specialized = 'true'))
  AND ($listed = 'any' OR coalesce(o.listed, false) = ($listed = 'true'))
  AND ($in_province = 'any' OR o.in_province = ($in_province = 'true'))
  AND (($chain = '' AND $segment = '')
       OR EXISTS { MATCH (o)-[:OPERATES_IN]->(s:Segment)
                   WHERE ($chain = '' OR s.chain = $chain) AND ($segment = '' OR s.name = $segment) }
       OR ($segment = '' AND $chain <> '' AND EXISTS { MATCH (o)-[:RESPONSIBLE_FOR|ALLIANCE_CHAIR_OF]->(c:Chain)
                                      WHERE c.name = $chain }))
RETURN o.id AS id, o.name AS name, o.kind AS kind, o.uscc AS uscc, o.city AS city,
       o.in_province AS in_province, o.revenue AS revenue, o.employees AS employees,
       o.leader AS leader, o.specialized AS specialized, o.listed AS listed,
       o.industry_code AS industry_code
ORDER BY id
LIMIT $limit
