// What-if disruption (断供推演) input: every SUPPLIES edge into each customer of the given
// suppliers, so that one can tell which customers would lose all supply of a product.
// Parameters: $suppliers (list of organisation ids)
// Columns: supplier_id, supplier, customer_id, customer, city, in_province, revenue, product
MATCH (x:Organization)-[:SUPPLIES]->(c:Organization)
WHERE x.id IN $suppliers
WITH DISTINCT c
MATCH (s:Organization)-[e:SUPPLIES]->(c)
RETURN s.id AS supplier_id, s.name AS supplier, c.id AS customer_id, c.name AS customer,
       c.city AS city, c.in_province AS in_province, c.revenue AS revenue,
       e.product AS product
ORDER BY customer_id, product, supplier_id
