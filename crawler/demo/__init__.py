"""Offline demo portals (法治资讯网 and 辽宁长安网) served on 127.0.0.1 for crawl tests."""
