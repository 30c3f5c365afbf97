// The facts behind eval_platforms for one chain: its platforms as of a date, with their source.
// Parameters: $chain (chain name), $as_of (date), $limit
// Columns: id, name, level, kind, city, host, source, source_ref, as_of
MATCH (p:Platform)-[r:LISTED_FOR]->(:Chain {name: $chain})
WHERE r.as_of IS NULL OR r.as_of <= $as_of
RETURN p.id AS id, p.name AS name, p.level AS level, p.kind AS kind, p.city AS city,
       p.host AS host, r.source AS source, r.source_ref AS source_ref, r.as_of AS as_of
ORDER BY level, name
LIMIT $limit
