// One synthetic (示例数据) organisation, if the graph has any: whether an index of maps is demo data.
// Parameters: none
// Columns: id
MATCH (n:Organization)
WHERE n.synthetic = true
RETURN n.id AS id
LIMIT 1
