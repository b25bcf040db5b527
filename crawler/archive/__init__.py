"""The SQLite archive: its file, its schema, and everything that writes into it.

It owns opening and guarding the file (`schema`, `guard`), the migrations (`migrations`,
`canonicals`), the one store path of an article (`ingest`: `prepare` -> `store` -> the
story in crawler.reprints -> the indexes, search terms queued until commit in `deferred`),
crawl runs and failures (`runs`), captures and WARC files (`captures`, `warc`), the article
of a stored response (`extraction`), the writer
process of a crawl (`writer`, `writer_tasks`), and the bulk writers `import-warc`
(`importer`) and `reparse` (`reparse`, through `bulk`). Reading lives beside it:
crawler.search and crawler.export; stories and near duplicates in crawler.reprints.
"""

from crawler.archive.schema import SCHEMA_VERSION, ArchiveError, open_archive

__all__ = ["SCHEMA_VERSION", "ArchiveError", "open_archive"]
