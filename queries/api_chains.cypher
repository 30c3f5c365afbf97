// Every key chain (重点产业链) with its cluster (重大集群), in roster order; origin says
// whether the roster notice lists it or a chains registry declares it (产业链登记表).
// Parameters: none
// Columns: name, cluster, seq, future, origin, status, city, source
MATCH (ch:Chain)
OPTIONAL MATCH (cl:Cluster)-[:HAS_CHAIN]->(ch)
RETURN ch.name AS name, cl.name AS cluster, ch.seq AS seq, ch.future AS future,
       coalesce(ch.origin, 'notice') AS origin, ch.status AS status, ch.city AS city,
       ch.source AS source
ORDER BY coalesce(seq, 9999), name
