// The chains an organisation is responsible for (RESPONSIBLE_FOR, 群链长责任单位): what a unit key may write.
// A renamed chain answers to its former names too (its list versions keep the first name).
// Parameters: $org_id
// Columns: chain
MATCH (:Organization {id: $org_id})-[:RESPONSIBLE_FOR]->(ch:Chain)
RETURN ch.name AS chain
UNION
MATCH (:Organization {id: $org_id})-[:RESPONSIBLE_FOR]->(ch:Chain)
WHERE ch.former_names IS NOT NULL
UNWIND ch.former_names AS chain
RETURN chain
