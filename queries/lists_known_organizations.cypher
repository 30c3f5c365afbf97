// The organisations a list file refers to by id (a key lookup per id: a scan with
// `o.id IN $ids` costs rows x ids, minutes for a 100,000-row list loaded again).
// Parameters: $ids (list of organisation ids).
// Columns: id, name, uscc
UNWIND $ids AS i
MATCH (o:Organization {id: i})
RETURN o.id AS id, o.name AS name, o.uscc AS uscc
ORDER BY id
