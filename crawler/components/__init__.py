"""The Scrapy components a crawl plugs in, each named by its dotted path in crawler/settings.py.

It owns the downloader middlewares (safe targets, trap drops and the demo proxy in `targets`,
Crawl-delay and back-off retries in `delays`, WARC capture in `warc_capture`), the spider
middleware of delta-fetch (`delta_fetch`), waiting without holding a download slot
(`pacing`: the scheduler's priority queue and the parked retries), the extensions (the crawl
process's one archive writer in `archive_writer`, live progress in `progress`, the time
limit in `timelimit`), the add-on that builds the User-Agent (`addons`), the spider loader
(`spiderloader`), and the state and checks they share: delta-fetch's index of archived URLs
(`delta`) and URL safety (`urlsafety`).
"""
