// The chains' structure, in full: every chain (id, name), every segment of a chain (id, name,
// stage, position) and every FEEDS edge (with its product). A closed year's kept reading
// (queries/year_cache.py) is recomputed when this answer differs: a template correction that
// renames a segment or moves a feed keeps eval_base_digest's counts, but not this.
// Parameters: none
// Columns: kind, a, b, c, d, e (e: the segment's position, -1 elsewhere)
MATCH (c:Chain)
RETURN 'Chain' AS kind, c.id AS a, c.name AS b, '' AS c, '' AS d, -1 AS e
UNION ALL
MATCH (c:Chain)-[:HAS_SEGMENT]->(s:Segment)
RETURN 'Segment' AS kind, c.id AS a, s.id AS b, s.name AS c,
       coalesce(s.stage, '') AS d, coalesce(s.position, -1) AS e
UNION ALL
MATCH (x:Segment)-[f:FEEDS]->(y:Segment)
RETURN 'FEEDS' AS kind, x.id AS a, y.id AS b, coalesce(f.product, '') AS c, '' AS d,
       -1 AS e
