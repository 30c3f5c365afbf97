// The clusters (重大集群) a chains registry row may name.
// Parameters: none
// Columns: id, name
MATCH (c:Cluster)
RETURN c.id AS id, c.name AS name
ORDER BY name
