"""Helpers the tests and bench scripts share: local HTTP servers, crawl processes, archives,
Redis."""
