"""Spiders crawl, parsers extract.

base.PortalSpider crawls one site: the spider loader (crawler.components.spiderloader) makes one per
registry entry, named by its slug. portal.py crawls any portal named on the command line (`-a`).
Its helpers: discovery.py (sitemaps and feeds), guards.py (crawl traps, failure reasons).
"""
