// List rows of the problems with these ids (each looked up by its key).
// Parameters: $ids (problem ids).
// Columns: id, title, chain, owner, city, category, status, stage, due, registered, synthetic.
UNWIND $ids AS i
MATCH (p:Problem {id: i})
RETURN p.id AS id, p.title AS title, p.chain AS chain, p.owner AS owner, p.city AS city,
       p.category AS category, p.status AS status, p.stage AS stage, p.due AS due,
       p.registered AS registered, p.synthetic AS synthetic
