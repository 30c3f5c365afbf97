// Drop a problem's owner link (CONCERNS, role $role) to any unit other than its current owner.
// Parameters: $id (problem id), $owner_id (current owner's id, "" for none), $role ("owner").
// Columns: none.
MATCH (p:Problem {id: $id})-[r:CONCERNS]->(o:Organization)
WHERE r.role = $role AND o.id <> $owner_id
DELETE r
