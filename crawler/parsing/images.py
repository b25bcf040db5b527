"""An <img> as an article Image: a usable source (not data:, not an icon), made absolute."""

from __future__ import annotations

from urllib.parse import urljoin

from ..items import Image

_IMG_ATTRS = ("data-original", "data-src", "data-url", "original", "src")


def image_of(el, base: str) -> Image | None:
    """Return an Image for an <img> element with a usable source, else None."""
    src = next((el.get(a) for a in _IMG_ATTRS if el.get(a)), None)
    if not src or src.startswith("data:"):
        return None
    for attr in ("width", "height"):
        size = (el.get(attr) or "").rstrip("px").strip()
        if size.isdigit() and int(size) < 40:
            return None
    try:
        return Image(src=urljoin(base, src.strip()), caption=None)
    except ValueError:
        return None
