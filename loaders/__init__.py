"""Sources -> rows -> store: parsers and row shaping (pure) apart from writing."""
