// Meetings of the calendar held from $first_day to $last_day, optionally of one kind.
// Parameters: $first_day, $last_day (dates), $kind (mechanism key, or "" for all).
// Columns: m (the Meeting's properties), by day then id.
MATCH (m:Meeting)
WHERE m.held_on >= $first_day AND m.held_on <= $last_day
  AND ($kind = '' OR m.kind = $kind)
RETURN m
ORDER BY m.held_on, m.id
