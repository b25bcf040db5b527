"""Finding things in the archive: Chinese full-text search and read-only SQL.

It owns the FTS5 index of single characters (`fts`: the terms the store path indexes,
the query syntax, ranking and snippets, rebuilding the index) and `legalnews query`'s
read-only SQL with its refusals (`query`).
"""
