// The problems registered between $first_day and $last_day (inclusive) with what the figures group by.
// Parameters: $first_day, $last_day (dates).
// Columns: id, chain, cluster, owner, city, category, status, registered, assigned_on, started_on,
//   resolved_on, reported_on, satisfaction.
MATCH (p:Problem)
WHERE p.registered >= $first_day AND p.registered <= $last_day
OPTIONAL MATCH (p)-[:LISTED_FOR]->(:Chain)<-[:HAS_CHAIN]-(k:Cluster)
RETURN p.id AS id, p.chain AS chain, k.name AS cluster, p.owner AS owner, p.city AS city,
       p.category AS category, p.status AS status, p.registered AS registered,
       p.assigned_on AS assigned_on, p.started_on AS started_on, p.resolved_on AS resolved_on,
       p.reported_on AS reported_on, p.satisfaction AS satisfaction
ORDER BY id
