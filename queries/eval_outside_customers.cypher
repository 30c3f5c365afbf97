// Per chain, the customers of its in-province enterprises (SUPPLIES out of them), and how many
// of those customers are outside the province (省外客户): the chain's reach. Membership is
// dated by OPERATES_IN's as_of. ``customers_known``: all customers; no row: no supply data.
// Parameters: $chains (chain names), $as_of (date)
// Columns: chain, customers, customers_known
MATCH (ch:Chain)-[:HAS_SEGMENT]->(:Segment)<-[r:OPERATES_IN]-(o:Organization)
      -[:SUPPLIES]->(c:Organization)
WHERE ch.name IN $chains AND o.in_province = true AND (r.as_of IS NULL OR r.as_of <= $as_of)
RETURN ch.name AS chain,
       count(DISTINCT CASE WHEN c.in_province = false THEN c.id END) AS customers,
       count(DISTINCT c.id) AS customers_known
ORDER BY chain
