"""legalnews: crawl, extract, deduplicate and archive Chinese legal-news portals."""

__version__ = "0.1.0"
