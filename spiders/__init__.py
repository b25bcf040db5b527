"""Spiders: one per portal, file name = spider name; they crawl, parsers extract."""
