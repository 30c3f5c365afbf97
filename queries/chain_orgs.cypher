// The organisations with the given ids, for naming nodes of a criticality result.
// Parameters: $ids (list of organisation ids)
// Columns: id, name, city, in_province, revenue, leader
MATCH (o:Organization)
WHERE o.id IN $ids
RETURN o.id AS id, o.name AS name, o.city AS city, o.in_province AS in_province,
       o.revenue AS revenue, o.leader AS leader
ORDER BY id
