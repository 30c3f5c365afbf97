// What-if disruption (断供推演) input: every SUPPLIES edge into each customer of one
// organisation, so that one can tell which customers would lose all supply of a product.
// With $chain (a chain name; '' for any), only the customers operating in that chain.
// Parameters: $org_id, $chain
// Columns: supplier_id, customer_id, customer, city, in_province, revenue, product
MATCH (x:Organization {id: $org_id})-[:SUPPLIES]->(c:Organization)
WITH DISTINCT c
WHERE $chain = '' OR EXISTS { MATCH (c)-[:OPERATES_IN]->(cs:Segment) WHERE cs.chain = $chain }
MATCH (y:Organization)-[e:SUPPLIES]->(c)
RETURN y.id AS supplier_id, c.id AS customer_id, c.name AS customer, c.city AS city,
       c.in_province AS in_province, c.revenue AS revenue, e.product AS product
ORDER BY customer_id, product, supplier_id
