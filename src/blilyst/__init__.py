"""blilyst: evidence-based tools for Norwegian municipalities that work to attract and keep residents."""

__version__ = "0.1.0"
