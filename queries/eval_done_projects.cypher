// Per chain, the projects listed for it as of a date whose status says completed (status in
// $done, e.g. 投产), by name (the year-over-year section names those completed this year).
// Parameters: $chains (chain names), $as_of (date), $done (statuses meaning completed)
// Columns: chain, id, name, status, investment
MATCH (p:Project)-[r:LISTED_FOR]->(ch:Chain)
WHERE ch.name IN $chains AND (r.as_of IS NULL OR r.as_of <= $as_of) AND p.status IN $done
RETURN ch.name AS chain, p.id AS id, p.name AS name, p.status AS status,
       p.investment AS investment
ORDER BY chain, name, id
