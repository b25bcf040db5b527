"""Scrapy settings for legalnews: polite defaults, our pipelines, the archive path."""

BOT_NAME = "legalnews"
SPIDER_MODULES = ["spiders"]
NEWSPIDER_MODULE = "spiders"

# Identify ourselves; users set LEGALNEWS_CONTACT to a mail address or URL.
LEGALNEWS_CONTACT = "https://example.invalid/legalnews"
USER_AGENT = f"legalnews/0.1 (+{LEGALNEWS_CONTACT})"

ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 1
DOWNLOAD_DELAY = 1.0
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 10 * 1024 * 1024
DOWNLOAD_WARNSIZE = 2 * 1024 * 1024
RETRY_ENABLED = True
RETRY_TIMES = 3
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
TELNETCONSOLE_ENABLED = False
COOKIES_ENABLED = False
LOG_LEVEL = "INFO"

DOWNLOADER_MIDDLEWARES = {
    "crawler.middlewares.HostProxyMiddleware": 740,
}

ITEM_PIPELINES = {
    "pipelines.validate.ValidatePipeline": 100,
    "pipelines.dedup.DedupPipeline": 200,
    "pipelines.store.StorePipeline": 300,
}

# The SQLite archive written by StorePipeline.
ARCHIVE_PATH = "archive.db"

# Send requests for these hosts through a proxy (used by the demo portals, which
# serve the real host names from 127.0.0.1). Empty: fetch directly.
HOST_PROXY_URL = ""
HOST_PROXY_HOSTS: list[str] = []
# With a proxy set, refuse every other host (keeps the offline demo offline).
HOST_PROXY_ONLY = True

FEED_EXPORT_ENCODING = "utf-8"
REQUEST_FINGERPRINTER_IMPLEMENTATION = "2.7"
