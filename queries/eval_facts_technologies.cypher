// The facts behind eval_technologies for one chain: its technologies as of a date.
// Parameters: $chain (chain name), $as_of (date), $limit
// Columns: id, name, choke, status, holder, source, source_ref, as_of
MATCH (t:Technology)-[r:LISTED_FOR]->(:Chain {name: $chain})
WHERE r.as_of IS NULL OR r.as_of <= $as_of
RETURN t.id AS id, t.name AS name, t.choke AS choke, t.status AS status, t.holder AS holder,
       r.source AS source, r.source_ref AS source_ref, r.as_of AS as_of
ORDER BY name
LIMIT $limit
