"""Scrapy settings for legalnews: polite defaults, our pipelines, the archive path."""

BOT_NAME = "legalnews"
SPIDER_MODULES = ["spiders"]
NEWSPIDER_MODULE = "spiders"
# Makes a spider of every registry site; names a bad LEGALNEWS_SITES file in one line.
SPIDER_LOADER_CLASS = "crawler.components.spiderloader.SitesSpiderLoader"

# Identify ourselves; users set LEGALNEWS_CONTACT to a mail address or URL. The add-on
# ContactUserAgent builds USER_AGENT from it at crawler start, unless USER_AGENT is set with -s.
LEGALNEWS_CONTACT = "https://example.invalid/legalnews"
USER_AGENT = f"legalnews/0.1 (+{LEGALNEWS_CONTACT})"
ADDONS = {"crawler.components.addons.ContactUserAgent": 0}

ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 1
DOWNLOAD_DELAY = 1.0
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
# A request goes to the downloader only when its host is ready for it: one waiting out its
# host's delay (Crawl-delay, AutoThrottle) waits in the scheduler, not in CONCURRENT_REQUESTS.
SCHEDULER_PRIORITY_QUEUE = "crawler.components.pacing.ReadySlotPriorityQueue"
DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 10 * 1024 * 1024
DOWNLOAD_WARNSIZE = 2 * 1024 * 1024
RETRY_ENABLED = True
RETRY_TIMES = 3
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
# Retries wait RETRY_BACKOFF_BASE * 2**(attempt - 1) seconds, at most RETRY_BACKOFF_MAX,
# parked outside the downloader (crawler.components.pacing.ParkedRequests) so they hold no request
# slot.
RETRY_BACKOFF_BASE = 2.0
RETRY_BACKOFF_MAX = 60.0
# A timeout (the server hangs or drips) is retried at most this many times, whatever RETRY_TIMES.
RETRY_TIMEOUT_TIMES = 1
# robots.txt Crawl-delay is honoured (Scrapy ignores it), capped at CRAWLDELAY_MAX seconds,
# as the delay of the host's downloader slot.
CRAWLDELAY_ENABLED = True
CRAWLDELAY_MAX = 60.0
# The remote-control console and server stay off: scheduled runs must not open a port.
TELNETCONSOLE_ENABLED = False
REMOTE_CONTROL_ENABLED = False
COOKIES_ENABLED = False
LOG_LEVEL = "INFO"

DOWNLOADER_MIDDLEWARES = {
    # first: a dropped page waits for nothing
    "crawler.components.targets.TrapDropMiddleware": 30,
    # before offsite (50) and robots.txt (100)
    "crawler.components.targets.SafeTargetMiddleware": 40,
    "crawler.components.delays.CrawlDelayMiddleware": 110,  # after RobotsTxtMiddleware (100)
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "crawler.components.delays.BackoffRetryMiddleware": 550,
    "crawler.components.targets.HostProxyMiddleware": 740,
    # Closer to the wire than decompression (590), redirects (600) and retries (550).
    "crawler.components.warc_capture.WarcCaptureMiddleware": 950,
}

SPIDER_MIDDLEWARES = {
    "crawler.components.delta_fetch.DeltaFetchMiddleware": 950,
}
EXTENSIONS = {
    "crawler.components.progress.ProgressExtension": 500,
    # CLOSESPIDER_TIMEOUT (--max-time) without waiting for the downloader's queue.
    "scrapy.extensions.closespider.CloseSpider": None,
    "crawler.components.timelimit.TimeLimitCloseSpider": 0,
    "crawler.components.pacing.ParkedRequests": 500,
    # The one archive writer process of a crawl process, shared by all its crawlers.
    "crawler.components.archive_writer.ArchiveWriterExtension": 500,
}

ITEM_PIPELINES = {
    "pipelines.validate.ValidatePipeline": 100,
    "pipelines.dedup.DedupPipeline": 200,
    "pipelines.store.StorePipeline": 300,
}

# The SQLite archive written by StorePipeline.
ARCHIVE_PATH = "archive.db"
# Keep each job's request queue in Scrapy's JOBDIR (jobs/<site>/scrapy next to the archive),
# so a run stopped cleanly resumes where it was. Off: a resumed run walks the lists again and
# delta-fetch skips what is archived (what a run killed outright does in any case).
JOB_QUEUE_ON_DISK = True
# Archive writes run in one writer process per crawl process, in transactions of this many
# writes or seconds, whichever comes first; a killed run loses at most that much, and its resume
# refetches it.
ARCHIVE_COMMIT_ITEMS = 200
ARCHIVE_COMMIT_SECONDS = 1.0
# Tasks handed to the writer and not yet taken, at most; a crawler finding the queue full
# waits (its reactor goes on serving the other crawlers) until the writer catches up.
ARCHIVE_WRITER_QUEUE_SIZE = 1000
# Scrapy's default (100) starts that many asyncio tasks per response to process its output.
CONCURRENT_ITEMS = 16

# Incremental runs: article URLs already in the archive are not fetched again, and a
# list stops paginating at the first page that links no article new to the archive.
DELTAFETCH_ENABLED = True
DELTAFETCH_STOP_PAGINATION = True
# Follow robots.txt Sitemap: lines (else /sitemap.xml) and RSS/Atom feeds linked from pages.
SITEMAP_DISCOVERY = True

# Live one-line progress on a terminal (None: only when stderr is a TTY), every N seconds.
PROGRESS_ENABLED = None
PROGRESS_INTERVAL = 2.0

# Run health (exit status): a field's fill rate for a site that falls by HEALTH_FILL_DROP
# or more against the mean of its last HEALTH_BASELINE_RUNS runs, in runs of at least
# HEALTH_MIN_ARTICLES articles, is a template change.
HEALTH_FILL_DROP = 0.3
HEALTH_BASELINE_RUNS = 5
HEALTH_MIN_ARTICLES = 5

# Raw captures: every response as received, in WARC files (one set per run). WARC_DIR empty:
# archive/warc/ next to ARCHIVE_PATH. A new file is started past WARC_MAX_BYTES.
WARC_ENABLED = True
WARC_DIR = ""
WARC_MAX_BYTES = 1024 * 1024 * 1024

# Safety (see RELIABILITY.md): only http(s) is fetched, and a host that is not one of the
# site's configured hosts must not be, or resolve to, a private/loopback/link-local address.
SAFE_TARGETS_ENABLED = True
# Crawl traps: one URL template (digits masked, query keys kept) gives at most this many
# list pages per run; an endless calendar (/cal?date=...) stops there, with a failures row.
TRAP_MAX_LIST_PAGES = 1000
# A URL template whose pages link no new article this many times in a row is a trap too
# (a calendar of empty days), with a failures row; 0: off. Closed templates' queued pages
# are dropped before download.
TRAP_MAX_BARREN_PAGES = 40

# Send requests for these hosts through a proxy (used by the demo portals, which
# serve the real host names from 127.0.0.1). Empty: fetch directly.
HOST_PROXY_URL = ""
HOST_PROXY_HOSTS: list[str] = []
# With a proxy set, refuse every other host (keeps the offline demo offline).
HOST_PROXY_ONLY = True

FEED_EXPORT_ENCODING = "utf-8"

# Distributed crawling (`legalnews crawl --redis URL` workers, `legalnews drain`): Redis keys
# start with REDIS_PREFIX; a worker beats every REDIS_HEARTBEAT_INTERVAL seconds, and one
# silent for REDIS_WORKER_TIMEOUT seconds is dead: its in-flight requests go back on the queue.
REDIS_URL = ""
REDIS_PREFIX = "legalnews"
REDIS_HEARTBEAT_INTERVAL = 1.0
REDIS_WORKER_TIMEOUT = 30.0
