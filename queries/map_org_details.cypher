// The facts of the organisations $ids and the segments they operate in (one row per
// organisation and segment; segment columns null for an organisation placed in none).
// Parameters: $ids (organisation ids)
// Columns: id, name, kind, uscc, city, in_province, revenue, employees, leader, specialized,
//          listed, industry_code, source, source_ref, as_of, loaded_at, synthetic,
//          segment, chain, stage
UNWIND $ids AS i
MATCH (n:Organization {id: i})
OPTIONAL MATCH (n)-[:OPERATES_IN]->(s:Segment)
RETURN n.id AS id, n.name AS name, n.kind AS kind, n.uscc AS uscc, n.city AS city,
       n.in_province AS in_province, n.revenue AS revenue, n.employees AS employees,
       n.leader AS leader, n.specialized AS specialized, n.listed AS listed,
       n.industry_code AS industry_code,
       n.source AS source, n.source_ref AS source_ref, n.as_of AS as_of,
       n.loaded_at AS loaded_at, n.synthetic AS synthetic,
       s.name AS segment, s.chain AS chain, s.stage AS stage
