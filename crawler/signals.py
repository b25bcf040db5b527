"""Custom Scrapy signals of legalnews."""

# Sent by spiders when a page could not be fetched or parsed: url, reason, status.
page_failed = object()
