// Per chain, the key technologies (技术清单) listed for it as of a date: how many, how many are
// 卡脖子 and how many 卡脖子 items are addressed (status in $addressed, e.g. 已突破).
// ``choke_addressed_known`` counts the 卡脖子 items whose status the list gives. No row: no list.
// Parameters: $chains (chain names), $as_of (date), $addressed (statuses meaning addressed)
// Columns: chain, technologies, choke, choke_known, choke_addressed, choke_addressed_known
MATCH (t:Technology)-[r:LISTED_FOR]->(ch:Chain)
WHERE ch.name IN $chains AND (r.as_of IS NULL OR r.as_of <= $as_of)
RETURN ch.name AS chain, count(t) AS technologies,
       sum(CASE WHEN t.choke = true THEN 1 ELSE 0 END) AS choke, count(t.choke) AS choke_known,
       sum(CASE WHEN t.choke = true AND t.status IN $addressed THEN 1 ELSE 0 END)
         AS choke_addressed,
       sum(CASE WHEN t.choke = true AND t.status IS NOT NULL THEN 1 ELSE 0 END)
         AS choke_addressed_known
ORDER BY chain
