"""Extraction: turn a fetched news page into an Article (generic parser + site parsers)."""

from .api import article_record, extract_files, parse_page
from .generic import GenericParser
from .registry import parser_for, register

__all__ = [
    "GenericParser",
    "article_record",
    "extract_files",
    "parse_page",
    "parser_for",
    "register",
]
