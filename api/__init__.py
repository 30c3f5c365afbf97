"""The chainkg HTTP API: subgraphs, findings and maps for other systems, with scoped write access."""
