// Per chain, the talent entries (人才清单: 领军人才, 创新团队 ...) listed for it as of a date:
// entries and people (an entry's 人数, 1 when not given). No row: no talent list.
// Parameters: $chains (chain names), $as_of (date)
// Columns: chain, entries, people
MATCH (t:Talent)-[r:LISTED_FOR]->(ch:Chain)
WHERE ch.name IN $chains AND (r.as_of IS NULL OR r.as_of <= $as_of)
RETURN ch.name AS chain, count(t) AS entries, sum(coalesce(t.count, 1)) AS people
ORDER BY chain
