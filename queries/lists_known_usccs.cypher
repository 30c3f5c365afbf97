// The organisations a list file refers to by 统一社会信用代码 (USCC).
// Parameters: $usccs (list of USCCs).
// Columns: id, name, uscc
MATCH (o:Organization)
WHERE o.uscc IN $usccs
RETURN o.id AS id, o.name AS name, o.uscc AS uscc
ORDER BY id
