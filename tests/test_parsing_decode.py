"""Page bytes are decoded with the right codec even when a few bytes are broken."""

from __future__ import annotations

from crawler.parsing.decode import decode_html

TEXT = (
    "<html><body><p>法院依法审理了这起合同纠纷案件，双方当事人当庭达成调解协议。</p></body></html>"
    * 20
)


def test_gbk_with_a_stray_byte_and_no_charset_is_gbk() -> None:
    """An old GBK page, mostly CSS, with one broken byte: Chinese, not a detector's single-byte
    guess."""
    css = (
        "<style>.nav a:link { COLOR: #ffffff; TEXT-DECORATION: none} .idx {width:40px;}</style>"
        * 30
    )
    raw = (css + "<p>法院依法审理了这起合同纠纷案件，双方当庭达成调解协议。</p>").encode("gbk")
    raw = raw[:-30] + b"\xa1" + raw[-30:]
    text, codec = decode_html(raw)
    assert codec == "gb18030"
    assert "合同纠纷" in text


def test_xml_declaration_encoding_is_read() -> None:
    raw = ('<?xml version="1.0" encoding="gb2312"?>' + TEXT).encode("gbk")
    text, codec = decode_html(raw)
    assert codec == "gb18030" and "调解协议" in text


def test_mostly_broken_bytes_fall_back_to_the_best_guess() -> None:
    text, codec = decode_html(bytes(range(128, 256)) * 40)
    assert isinstance(text, str) and codec
