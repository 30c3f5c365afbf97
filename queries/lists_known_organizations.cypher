// The organisations a list file refers to, by id or by 统一社会信用代码 (USCC).
// Parameters: $ids (list of organisation ids), $usccs (list of USCCs).
// Columns: id, name, uscc
MATCH (o:Organization)
WHERE o.id IN $ids OR o.uscc IN $usccs
RETURN o.id AS id, o.name AS name, o.uscc AS uscc
ORDER BY id
