// One organisation by id.
// Parameters: $org_id
// Columns: id, name, kind, uscc, city, in_province, revenue, employees, leader, specialized, listed,
//          industry_code
MATCH (o:Organization {id: $org_id})
RETURN o.id AS id, o.name AS name, o.kind AS kind, o.uscc AS uscc, o.city AS city,
       o.in_province AS in_province, o.revenue AS revenue, o.employees AS employees,
       o.leader AS leader, o.specialized AS specialized, o.listed AS listed,
       o.industry_code AS industry_code
