// The ids of the most overdue open problems (逾期): current stage due before $today and on
// or before $last_due (the day by which the first $limit are found), most overdue first.
// Parameters: $today, $last_due (dates), $all_chains (bool), $chains (chain names, used unless
//   $all_chains), $limit.
// Columns: id.
MATCH (p:Problem)
WHERE p.due < $today AND p.due <= $last_due
  AND ($all_chains OR p.chain IN $chains)
RETURN p.id AS id
ORDER BY p.due, p.id
LIMIT $limit
