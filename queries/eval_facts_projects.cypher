// The facts behind eval_projects for one chain: its projects as of a date.
// Parameters: $chain (chain name), $as_of (date), $limit
// Columns: id, name, city, investment, status, start_year, owner, source, source_ref, as_of
MATCH (p:Project)-[r:LISTED_FOR]->(:Chain {name: $chain})
WHERE r.as_of IS NULL OR r.as_of <= $as_of
RETURN p.id AS id, p.name AS name, p.city AS city, p.investment AS investment,
       p.status AS status, p.start_year AS start_year, p.owner AS owner,
       r.source AS source, r.source_ref AS source_ref, r.as_of AS as_of
ORDER BY coalesce(investment, -1.0) DESC, name
LIMIT $limit
