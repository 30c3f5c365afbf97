// Overdue problems (逾期) per due day: how many open problems have their current stage due
// on each day before $today. The overdue list reads these first (total, and the last day it
// needs), so that it sorts and reads whole rows only for the problems it returns.
// (`due` is set only while a problem is open.)
// Parameters: $today (date), $all_chains (bool), $chains (chain names, used unless $all_chains).
// Columns: due, n (by due day).
MATCH (p:Problem)
WHERE p.due < $today
  AND ($all_chains OR p.chain IN $chains)
RETURN p.due AS due, count(p) AS n
ORDER BY due
