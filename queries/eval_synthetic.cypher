// Whether the graph holds synthetic demo data (示例数据): one synthetic organisation, if any.
// Parameters: none
// Columns: id
MATCH (o:Organization)
WHERE o.synthetic = true
RETURN o.id AS id
LIMIT 1
