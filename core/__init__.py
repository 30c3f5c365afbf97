"""chainkg: a knowledge graph of Henan's industrial chains under the 双长制 (豫政办〔2021〕61号)."""

__version__ = "0.1.0"
