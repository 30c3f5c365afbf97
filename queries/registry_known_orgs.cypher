// Which of the given organisations are already in the graph, and from which source, so that a
// chains registry writes only the units it creates (a roster unit keeps its roster facts).
// Parameters: $ids (organisation ids)
// Columns: id, source
UNWIND $ids AS i
MATCH (o:Organization {id: i})
RETURN o.id AS id, o.source AS source
