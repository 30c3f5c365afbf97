// The organisations with the given ids, for naming nodes of a result.
// Parameters: $ids (list of organisation ids)
// Columns: id, name, city, in_province, revenue, leader
UNWIND $ids AS oid
MATCH (o:Organization {id: oid})
RETURN o.id AS id, o.name AS name, o.city AS city, o.in_province AS in_province,
       o.revenue AS revenue, o.leader AS leader
ORDER BY id
