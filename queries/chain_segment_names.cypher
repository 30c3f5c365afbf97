// Every segment name with its chain, to suggest the closest names for a mistyped one.
// Parameters: $chain (chain name or '' for all)
// Columns: name, chain
MATCH (ch:Chain)-[:HAS_SEGMENT]->(s:Segment)
WHERE $chain = '' OR ch.name = $chain
RETURN s.name AS name, ch.name AS chain
ORDER BY chain, name
