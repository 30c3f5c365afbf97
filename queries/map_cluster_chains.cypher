// The chains of one cluster with their size: segments, organisations, in-province organisations.
// Parameters: $cluster_id
// Columns: id, name, seq, future, segments, enterprises, local_enterprises,
//          synthetic_enterprises (how many of them are demo data, 示例数据),
//          source, source_ref, as_of, loaded_at, synthetic,
//          origin ('notice' | 'registry'), status, city, basis (registry chains)
MATCH (:Cluster {id: $cluster_id})-[:HAS_CHAIN]->(n:Chain)
OPTIONAL MATCH (n)-[:HAS_SEGMENT]->(s:Segment)
OPTIONAL MATCH (s)<-[:OPERATES_IN]-(o:Organization)
WITH n, count(DISTINCT s) AS segments, count(DISTINCT o) AS enterprises,
     count(DISTINCT CASE WHEN o.in_province THEN o.id END) AS local_enterprises,
     count(DISTINCT CASE WHEN o.synthetic THEN o.id END) AS synthetic_enterprises
RETURN n.id AS id, n.name AS name, n.seq AS seq, n.future AS future,
       segments, enterprises, local_enterprises, synthetic_enterprises,
       n.source AS source, n.source_ref AS source_ref, n.as_of AS as_of,
       n.loaded_at AS loaded_at, n.synthetic AS synthetic, coalesce(n.origin, 'notice') AS origin,
       n.status AS status, n.city AS city, n.basis AS basis
ORDER BY seq, name
