// The responsible units (群链长责任单位) and alliance chairs (盟会长单位) of every chain, in the
// order the roster cell lists them.
// Parameters: $province_id
// Columns: chain, role ('responsible' | 'alliance_chair'), position, name, kind
MATCH (:Province {id: $province_id})-[:HAS_CLUSTER]->(:Cluster)-[:HAS_CHAIN]->(ch:Chain)
MATCH (o:Organization)-[r:RESPONSIBLE_FOR]->(ch)
RETURN ch.name AS chain, 'responsible' AS role, r.position AS position, o.name AS name,
       o.kind AS kind
UNION ALL
MATCH (:Province {id: $province_id})-[:HAS_CLUSTER]->(:Cluster)-[:HAS_CHAIN]->(ch:Chain)
MATCH (o:Organization)-[r:ALLIANCE_CHAIR_OF]->(ch)
RETURN ch.name AS chain, 'alliance_chair' AS role, r.position AS position, o.name AS name,
       o.kind AS kind
