// Decisions recorded in meetings' minutes, optionally only those not yet done.
// Parameters: $open_only (bool).
// Columns: d (the Decision's properties), by due day then id.
MATCH (d:Decision)
WHERE NOT $open_only OR d.status <> '已完成'
RETURN d
ORDER BY d.due, d.id
