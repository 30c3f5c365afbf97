// The facts behind eval_talent for one chain: its talent entries as of a date.
// Parameters: $chain (chain name), $as_of (date), $limit
// Columns: id, name, kind, field, employer, count, source, source_ref, as_of
MATCH (t:Talent)-[r:LISTED_FOR]->(:Chain {name: $chain})
WHERE r.as_of IS NULL OR r.as_of <= $as_of
RETURN t.id AS id, t.name AS name, t.kind AS kind, t.field AS field, t.employer AS employer,
       t.count AS count, r.source AS source, r.source_ref AS source_ref, r.as_of AS as_of
ORDER BY name
LIMIT $limit
