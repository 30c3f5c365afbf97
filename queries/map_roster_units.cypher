// Responsible units (群链长责任单位) and alliance chairs (盟会长单位) of the province's chains.
// Parameters: $province_id
// Columns: chain_id, role ('responsible' | 'alliance_chair'), position, id, name, kind,
//          source, source_ref, as_of, loaded_at, synthetic
MATCH (:Province {id: $province_id})-[:HAS_CLUSTER]->(:Cluster)-[:HAS_CHAIN]->(c:Chain)
MATCH (n:Organization)-[r:RESPONSIBLE_FOR]->(c)
RETURN c.id AS chain_id, 'responsible' AS role, r.position AS position,
       n.id AS id, n.name AS name, n.kind AS kind,
       n.source AS source, n.source_ref AS source_ref, n.as_of AS as_of,
       n.loaded_at AS loaded_at, n.synthetic AS synthetic
UNION ALL
MATCH (:Province {id: $province_id})-[:HAS_CLUSTER]->(:Cluster)-[:HAS_CHAIN]->(c:Chain)
MATCH (n:Organization)-[r:ALLIANCE_CHAIR_OF]->(c)
RETURN c.id AS chain_id, 'alliance_chair' AS role, r.position AS position,
       n.id AS id, n.name AS name, n.kind AS kind,
       n.source AS source, n.source_ref AS source_ref, n.as_of AS as_of,
       n.loaded_at AS loaded_at, n.synthetic AS synthetic
