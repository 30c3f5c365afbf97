// The ids of open problems whose current stage falls due between $today and $until (临期),
// soonest first.
// Parameters: $today, $until (dates), $all_chains (bool), $chains (chain names, used unless
//   $all_chains), $limit.
// Columns: id.
MATCH (p:Problem)
WHERE p.due >= $today AND p.due <= $until
  AND ($all_chains OR p.chain IN $chains)
RETURN p.id AS id
ORDER BY p.due, p.id
LIMIT $limit
