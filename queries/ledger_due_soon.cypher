// Open problems whose current stage falls due between $today and $until (临期), soonest first.
// Parameters: $today, $until (dates), $all_chains (bool), $chains (chain names, used unless $all_chains), $limit.
// Columns: id, title, chain, owner, city, category, status, stage, due, registered.
MATCH (p:Problem)
WHERE p.is_open AND p.due >= $today AND p.due <= $until
  AND ($all_chains OR p.chain IN $chains)
RETURN p.id AS id, p.title AS title, p.chain AS chain, p.owner AS owner, p.city AS city,
       p.category AS category, p.status AS status, p.stage AS stage, p.due AS due,
       p.registered AS registered
ORDER BY due, id
LIMIT $limit
