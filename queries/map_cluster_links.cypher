// Cross-chain FEEDS touching one cluster's chains, one row per FEEDS link with both chains.
// (Aggregated per pair of chains in Python, so both engines give the same answer.)
// Parameters: $cluster_id
// Columns: from_chain_id, from_chain, to_chain_id, to_chain, product, synthetic
MATCH (:Cluster {id: $cluster_id})-[:HAS_CHAIN]->(c:Chain)-[:HAS_SEGMENT]->(:Segment)-[f:FEEDS]->(:Segment)<-[:HAS_SEGMENT]-(o:Chain)
WHERE o.id <> c.id
RETURN c.id AS from_chain_id, c.name AS from_chain, o.id AS to_chain_id, o.name AS to_chain,
       f.product AS product, f.synthetic AS synthetic
UNION ALL
MATCH (:Cluster {id: $cluster_id})-[:HAS_CHAIN]->(c:Chain)-[:HAS_SEGMENT]->(:Segment)<-[f:FEEDS]-(:Segment)<-[:HAS_SEGMENT]-(o:Chain)
WHERE o.id <> c.id
RETURN o.id AS from_chain_id, o.name AS from_chain, c.id AS to_chain_id, c.name AS to_chain,
       f.product AS product, f.synthetic AS synthetic
