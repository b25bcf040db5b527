"""Parse HTML once with lxml and flatten the visible text into an ordered block stream."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml import etree, html

from .patterns import BLOCK_TAGS, CENTERED, FURNITURE_HINT, SKIP_TAGS

_XML_DECL = re.compile(r"^\s*<\?xml[^>]*>")
_WS = re.compile(r"[ \t\r\n\f\v\xa0]+")  # collapse layout spaces; keep U+3000 inside lines
_MAX_DEPTH = 180
CELL_TAGS = frozenset({"td", "th"})
MAX_CELL = 60  # characters of a data table's cell; layout tables hold whole columns
_INNER_BLOCKS = BLOCK_TAGS - CELL_TAGS
FURNITURE_SHARE = 0.3


def load_tree(text: str) -> html.HtmlElement | None:
    """Return the parsed document root, or None when there is no document."""
    text = _XML_DECL.sub("", text.replace("\x00", ""))
    if not text.strip():
        return None
    try:
        return html.document_fromstring(text)
    except (etree.ParserError, ValueError):
        return None


@dataclass
class Block:
    """One paragraph-like run of text (or one image) and the element that holds it."""

    text: str
    owner: int  # index of the nearest block-level ancestor in Stream.elems
    link_chars: int = 0
    img: html.HtmlElement | None = None
    furniture: bool = False  # inside a footer / comments / sidebar container
    row: bool = False  # the cells of one data-table row

    @property
    def chars(self) -> int:
        """Return the count of non-space characters."""
        return len(self.text.replace(" ", ""))


@dataclass
class Stream:
    """Elements in document order (with subtree spans) and the blocks they hold."""

    elems: list = field(default_factory=list)
    parent: list[int] = field(default_factory=list)
    end: list[int] = field(default_factory=list)
    hinted: list[tuple[int, int]] = field(
        default_factory=list
    )  # block spans of furniture-named elements
    blocks: list[Block] = field(default_factory=list)

    def inside(self, idx: int, node: int) -> bool:
        """Return True when element idx lies in the subtree of element node."""
        return node <= idx < self.end[node]


class _Walker:
    """Single recursive pass that numbers elements and cuts text into blocks."""

    def __init__(self) -> None:
        self.s = Stream()
        self.buf: list[str] = []
        self.links = 0
        self.owner = 0
        self.in_row = False
        self.in_pre = False

    def flush(self) -> None:
        text = _WS.sub(" ", "".join(self.buf)).strip()
        if text:
            links = min(self.links, len(text))
            self.s.blocks.append(Block(text, self.owner, links, row=self.in_row))
        self.buf.clear()
        self.links = 0

    def add(self, text: str | None, in_link: bool) -> None:
        if text and self.in_pre and "\n" in text:
            first, *rest = text.split("\n")
            self.add(first, in_link)
            for line in rest:  # preformatted text: every line is a line
                self.flush()
                self.add(line, in_link)
            return
        if text:
            self.buf.append(text)
            if in_link:
                self.links += len(text.replace(" ", "").strip())

    def walk(self, el, parent: int, in_link: bool, depth: int) -> None:
        tag = el.tag.lower() if isinstance(el.tag, str) else ""
        if not tag or tag in SKIP_TAGS:
            return
        idx = len(self.s.elems)
        self.s.elems.append(el)
        self.s.parent.append(parent)
        self.s.end.append(idx + 1)
        names = f"{el.get('class', '')} {el.get('id', '')}".strip()
        first_block = len(self.s.blocks)
        cell = self.in_row and tag in CELL_TAGS
        block = tag in BLOCK_TAGS and not cell
        saved, saved_row, saved_pre = self.owner, self.in_row, self.in_pre
        self.in_pre = self.in_pre or tag == "pre"
        if cell:
            self.add(" ", False)  # cells of a data row: one line, a space between them
        if block:
            self.flush()
            self.owner = idx
        if tag == "tr":
            self.in_row = is_data_row(el)
        if tag == "img":
            self.flush()
            self.s.blocks.append(Block("", self.owner, img=el))
        in_link = in_link or tag == "a"
        if depth > _MAX_DEPTH:
            self.add(" ".join(el.itertext()), in_link)
        else:
            self.add(el.text, in_link)
            for child in el:
                self.walk(child, idx, in_link, depth + 1)
                self.add(child.tail, in_link)
        if block:
            self.flush()
            self.owner = saved
        self.in_row, self.in_pre = saved_row, saved_pre
        self.s.end[idx] = len(self.s.elems)
        if names and FURNITURE_HINT.search(names):
            self.s.hinted.append((first_block, len(self.s.blocks)))


def is_data_row(tr) -> bool:
    """Return True for a table row of short text cells (a data table), not a row of layout
    columns."""
    cells = [c for c in tr if isinstance(c.tag, str)]
    if len(cells) < 2 or any(c.tag not in CELL_TAGS for c in cells):
        return False
    for c in cells:
        # Block children first: a layout cell stops there, before its whole column's text is read.
        if any(
            isinstance(d.tag, str) and (d.tag in _INNER_BLOCKS or d.tag == "img")
            for d in c.iterdescendants()
        ):
            return False
        if len(c.text_content().strip()) > MAX_CELL:
            return False
    return True


def build_stream(root: html.HtmlElement) -> Stream:
    """Return the element numbering and block stream of the document body."""
    body = root.find("body")
    walker = _Walker()
    walker.walk(body if body is not None else root, -1, False, 0)
    walker.flush()
    stream = walker.s
    # A furniture name on a page-wide wrapper (class="... nav container") says nothing.
    limit = FURNITURE_SHARE * len(stream.blocks)
    for start, stop in stream.hinted:
        if stop - start < limit:
            for block in stream.blocks[start:stop]:
                block.furniture = True
    return stream


def is_centred(el) -> bool:
    """Return True when the element (or its parent) is centred by tag, align or style."""
    parent = el.getparent()
    styles = [el.get("style", ""), el.get("align", "")]
    if parent is not None:
        styles += [parent.get("style", ""), parent.get("align", "")]
    return el.tag == "center" or any(CENTERED.search(x) or x.lower() == "center" for x in styles)


def is_bold(el, text: str) -> bool:
    """Return True when the text is set in <strong> / <b> inside the element."""
    bold = "".join("".join(b.itertext()) for b in el.iter("strong", "b"))
    squashed = "".join(text.split())
    return bool(squashed) and squashed in "".join(bold.split())
