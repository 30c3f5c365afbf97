// Problems of the ledger, filtered; an empty string does not filter.
// Parameters: $chain, $owner, $status, $category, $city (names or ""), $open_only (bool),
//   $limit (max rows). (Empty strings, not nulls: the embedded engine cannot type a null.)
// Columns: p (the Problem's properties), ordered by registration day then id.
MATCH (p:Problem)
WHERE ($chain = '' OR p.chain = $chain)
  AND ($owner = '' OR p.owner = $owner)
  AND ($status = '' OR p.status = $status)
  AND ($category = '' OR p.category = $category)
  AND ($city = '' OR p.city = $city)
  AND (NOT $open_only OR p.is_open)
RETURN p
ORDER BY p.registered, p.id
LIMIT $limit
