// Remove the DEPUTY_CHIEF_OF links an earlier load of the same supplement file wrote.
// Parameters: $source (the file's source).
// Columns: none.
MATCH (:Person)-[r:DEPUTY_CHIEF_OF]->(:Chain)
WHERE r.source = $source
DELETE r
