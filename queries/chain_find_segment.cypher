// Segments (环节) called $name, in the chain $chain or, when $chain is '', in any chain.
// Parameters: $name (segment name), $chain (chain name or '')
// Columns: id, name, chain
MATCH (ch:Chain)-[:HAS_SEGMENT]->(s:Segment)
WHERE s.name = $name AND ($chain = '' OR ch.name = $chain)
RETURN s.id AS id, s.name AS name, ch.name AS chain
ORDER BY chain
