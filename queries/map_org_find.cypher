// Organisations whose 统一社会信用代码, name or id is exactly $text, else whose name contains it.
// Parameters: $text
// Columns: id, name, uscc, exact
MATCH (n:Organization)
WHERE n.uscc = $text OR n.name = $text OR n.id = $text OR n.name CONTAINS $text
RETURN n.id AS id, n.name AS name, n.uscc AS uscc,
       (n.uscc = $text OR n.name = $text OR n.id = $text) AS exact
ORDER BY exact DESC, name
LIMIT 20
