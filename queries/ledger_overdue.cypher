// Open problems whose current 13710 stage is due before $today (overdue, 逾期), most overdue first.
// Parameters: $today (date), $all_chains (bool), $chains (list of chain names, used unless $all_chains), $limit.
// Columns: id, title, chain, owner, city, category, status, stage, due, registered.
MATCH (p:Problem)
WHERE p.is_open AND p.due < $today
  AND ($all_chains OR p.chain IN $chains)
RETURN p.id AS id, p.title AS title, p.chain AS chain, p.owner AS owner, p.city AS city,
       p.category AS category, p.status AS status, p.stage AS stage, p.due AS due,
       p.registered AS registered
ORDER BY due, id
LIMIT $limit
