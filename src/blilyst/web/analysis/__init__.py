"""Statistics pages: the municipalities and their population (analysis app)."""
