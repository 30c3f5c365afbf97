// How many open problems are overdue on $today.
// Parameters: $today (date), $all_chains (bool), $chains (list of chain names, used unless $all_chains).
// Columns: n.
MATCH (p:Problem)
WHERE p.is_open AND p.due < $today
  AND ($all_chains OR p.chain IN $chains)
RETURN count(p) AS n
