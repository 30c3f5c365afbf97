// Per chain, the projects (项目清单) listed for it as of a date: how many, their total
// investment (总投资, 万元; ``investment_known`` projects give it) and how many are done (status
// in $done, e.g. 投产). No row: no project list.
// Parameters: $chains (chain names), $as_of (date), $done (statuses meaning completed)
// Columns: chain, projects, investment, investment_known, done, done_known
MATCH (p:Project)-[r:LISTED_FOR]->(ch:Chain)
WHERE ch.name IN $chains AND (r.as_of IS NULL OR r.as_of <= $as_of)
RETURN ch.name AS chain, count(p) AS projects,
       sum(coalesce(p.investment, 0.0)) AS investment, count(p.investment) AS investment_known,
       sum(CASE WHEN p.status IN $done THEN 1 ELSE 0 END) AS done, count(p.status) AS done_known
ORDER BY chain
