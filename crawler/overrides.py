"""`-s NAME=VALUE` overrides, checked against the type of the setting's default before a run."""

from __future__ import annotations

import json

from scrapy.settings import BaseSettings, Settings

# Integer defaults that Scrapy reads as floats: 2.5 is a valid value.
READ_AS_FLOAT = {"DOWNLOAD_TIMEOUT", "DNS_TIMEOUT"}
EXPECTED = {
    bool: "true or false (or 1 or 0)",
    int: "an integer",
    float: "a number",
    dict: "a JSON object",
}


def parse_overrides(pairs: tuple[str, ...] | list[str]) -> dict[str, str]:
    """Return NAME=VALUE pairs as a dict; ValueError naming the first pair that is malformed or
    whose value does not fit the type of the setting's default (Scrapy's or ours)."""
    defaults = Settings()
    defaults.setmodule("crawler.settings", priority="project")
    overrides = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        name = name.strip()
        if not sep or not name:
            raise ValueError(f"-s {pair}: expected NAME=VALUE")
        kind = kind_of(name, defaults.get(name))
        if kind in EXPECTED and not fits(value, kind):
            raise ValueError(f"-s {pair}: expected {EXPECTED[kind]}")
        overrides[name] = value
    return overrides


def kind_of(name: str, default: object) -> type:
    """Return the type a value of setting `name` must have (dict for Scrapy's component maps)."""
    if name in READ_AS_FLOAT:
        return float
    return dict if isinstance(default, BaseSettings) else type(default)


def fits(value: str, kind: type) -> bool:
    """Return True when Scrapy can read `value` as a setting of type `kind`."""
    probe = Settings({"X": value})
    try:
        if kind is bool:
            probe.getbool("X")
        elif kind is int:
            probe.getint("X")
        elif kind is float:
            probe.getfloat("X")
        else:
            return isinstance(json.loads(value), dict)
    except ValueError:  # json.JSONDecodeError is one
        return False
    return True
