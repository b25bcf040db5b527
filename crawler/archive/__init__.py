"""The SQLite archive: schema, writes, stories and queries."""

from crawler.archive.schema import SCHEMA_VERSION, ArchiveError, open_archive

__all__ = ["SCHEMA_VERSION", "ArchiveError", "open_archive"]
