"""Where the header and footer lines stand: the text zones around GenericParser's headline and
body."""

from __future__ import annotations

from functools import cached_property

from .body import LONG_PROSE, BodyCut, cut_body
from .lines import is_prose

ABOVE_BLOCKS = 3  # blocks above the headline that may hold its date and 来源
LEAD_BLOCKS = (
    4  # header lines (作者 / 时间) may sit this far inside the main block, above its prose
)
ZONE_BLOCKS = 30  # blocks scanned before the body and after it for header / footer lines


class ZonesMixin:
    """The page analysis of GenericParser: needs self.page, self.stream, self.title_block and
    self.title_last."""

    @cached_property
    def cut(self) -> BodyCut:
        """Return the article lines and images of the main element."""
        main = self.page.main
        if main is None:
            return BodyCut()
        return cut_body(self.stream, main, self.title_block, self.page.base_url, self.title_last)

    @cached_property
    def first_paragraph(self) -> int:
        """Return the index of the first long prose block of the main run (title search ends
        there)."""
        main = self.page.main
        if main is None:
            return len(self.stream.blocks)
        for pos in range(main.first, main.last + 1):
            text = self.stream.blocks[pos].text
            if len(text) >= LONG_PROSE and is_prose(text):
                return pos
        return main.first

    @cached_property
    def main_first(self) -> int:
        """Return the index of the first block inside the main element, or -1."""
        main = self.page.main
        return main.first if main is not None else -1

    def zone(self, start: int, stop: int, links: bool = True) -> str:
        """Return the text of blocks start..stop joined by newlines (without link rows if not
        links)."""
        blocks = self.stream.blocks[max(start, 0) : max(stop, 0)]
        return "\n".join(
            b.text for b in blocks if b.text and (links or b.link_chars * 2 < len(b.text))
        )

    @cached_property
    def lead_end(self) -> int:
        """Return the stream index of the first long paragraph of the body (header lines end
        there)."""
        if self.cut.first < 0:
            return self.main_first
        for pos, line in zip(self.cut.positions, self.cut.lines, strict=True):
            if len(line) >= LONG_PROSE and is_prose(line) or pos > self.cut.first + LEAD_BLOCKS:
                return min(pos, self.cut.first + LEAD_BLOCKS)
        return self.cut.first

    @cached_property
    def head_zone(self) -> str:
        """Return the text between the headline and the first body paragraph."""
        first = self.lead_end
        start = self.title_last + 1 if 0 <= self.title_block < first else first - 12
        return self.zone(max(start, first - ZONE_BLOCKS), first)

    @cached_property
    def above_zone(self) -> str:
        """Return the few blocks just above the headline (some templates put the header line
        there)."""
        return (
            self.zone(self.title_block - ABOVE_BLOCKS, self.title_block)
            if self.title_block >= 0
            else ""
        )

    @cached_property
    def foot_zone(self) -> str:
        """Return the text of the blocks after the last body line."""
        last = self.cut.last if self.cut.last >= 0 else self.main_first
        return self.zone(last + 1, last + 1 + ZONE_BLOCKS)

    @cached_property
    def dropped(self) -> str:
        """Return the header lines (作者, 编辑, 来源) met inside the article text and left out of
        the body."""
        return "\n".join(self.cut.dropped)
