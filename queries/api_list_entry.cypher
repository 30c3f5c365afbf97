// A list entry (清单 entry) by id: its label and the chains it is listed for.
// Parameters: $entry_id
// Columns: id, label, chain_ids
MATCH (n {id: $entry_id})-[:LISTED_FOR]->(c:Chain)
RETURN n.id AS id, labels(n)[0] AS label, collect(c.id) AS chain_ids
