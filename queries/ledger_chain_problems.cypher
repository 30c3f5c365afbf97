// Every problem of the given chains, open or closed (agendas judge them on a meeting's day).
// Parameters: $chains (list of chain names).
// Columns: p (the Problem's properties).
MATCH (p:Problem)
WHERE p.chain IN $chains
RETURN p
ORDER BY p.id
