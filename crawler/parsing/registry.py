"""Map portal hosts to their site parsers; unknown hosts get the generic parser."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlsplit

from .generic import GenericParser

_PARSERS: dict[str, type[GenericParser]] = {}


def register(*hosts: str) -> Callable[[type[GenericParser]], type[GenericParser]]:
    """Class decorator: use this parser for pages on the given hosts."""

    def wrap(cls: type[GenericParser]) -> type[GenericParser]:
        for host in hosts:
            _PARSERS[host.lower()] = cls
        return cls

    return wrap


def parser_for(url: str | None) -> type[GenericParser]:
    """Return the parser class registered for the URL's host, else GenericParser."""
    try:
        host = (urlsplit(url or "").hostname or "").lower()
    except ValueError:
        return GenericParser
    return _PARSERS.get(host, GenericParser)
