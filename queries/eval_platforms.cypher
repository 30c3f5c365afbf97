// Per chain, the innovation platforms (平台清单) listed for it as of a date, by level.
// Membership is dated by the LISTED_FOR fact's as_of (none: every date). ``*_known`` counts the
// platforms whose level the list gives (0: the level counts are missing). No row: no platform list.
// Parameters: $chains (chain names), $as_of (date)
// Columns: chain, platforms, national, national_known, provincial, provincial_known
MATCH (p:Platform)-[r:LISTED_FOR]->(ch:Chain)
WHERE ch.name IN $chains AND (r.as_of IS NULL OR r.as_of <= $as_of)
RETURN ch.name AS chain, count(p) AS platforms,
       sum(CASE WHEN p.level = '国家级' THEN 1 ELSE 0 END) AS national,
       count(p.level) AS national_known,
       sum(CASE WHEN p.level = '省级' THEN 1 ELSE 0 END) AS provincial,
       count(p.level) AS provincial_known
ORDER BY chain
