// The responsible units (群链长责任单位) and alliance chairs (盟会长单位) of one chain, in roster order.
// Parameters: $chain_id
// Columns: role ('responsible' | 'alliance_chair'), position, name, kind
MATCH (o:Organization)-[r:RESPONSIBLE_FOR]->(:Chain {id: $chain_id})
RETURN 'responsible' AS role, r.position AS position, o.name AS name, o.kind AS kind
UNION ALL
MATCH (o:Organization)-[r:ALLIANCE_CHAIR_OF]->(:Chain {id: $chain_id})
RETURN 'alliance_chair' AS role, r.position AS position, o.name AS name, o.kind AS kind
