// Take a list entry off one chain's list (drops its LISTED_FOR to that chain; the entry stays
// for its other chains).
// Parameters: $entry_id, $chain_id
// Columns: removed
MATCH (n {id: $entry_id})-[r:LISTED_FOR]->(:Chain {id: $chain_id})
DELETE r
RETURN count(*) AS removed
