// Organisations whose name contains the text, or whose 统一社会信用代码 (USCC) is exactly it.
// Parameters: $q, $limit
// Columns: id, name, kind, uscc, city, in_province, revenue, employees, leader, specialized, listed,
//          industry_code
MATCH (o:Organization)
WHERE o.name CONTAINS $q OR o.uscc = $q
RETURN o.id AS id, o.name AS name, o.kind AS kind, o.uscc AS uscc, o.city AS city,
       o.in_province AS in_province, o.revenue AS revenue, o.employees AS employees,
       o.leader AS leader, o.specialized AS specialized, o.listed AS listed,
       o.industry_code AS industry_code
ORDER BY CASE WHEN o.uscc = $q THEN 0 ELSE 1 END, size(o.name), id
LIMIT $limit
