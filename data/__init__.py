"""Data shipped with chainkg: the 61号 notice, its errata, the chain templates."""
