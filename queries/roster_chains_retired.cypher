// Chains no longer in force (a later roster edition dropped them, or the chains registry
// withdrew them): kept with their segments and lists, shown apart from the roster.
// Parameters: none
// Columns: id, name, origin, in_force_until, source
MATCH (ch:Chain)
WHERE ch.in_force_until IS NOT NULL
RETURN ch.id AS id, ch.name AS name, coalesce(ch.origin, 'notice') AS origin,
       ch.in_force_until AS in_force_until, ch.source AS source
ORDER BY in_force_until, name
