"""HTML bodies as the agent reads them: visible text only, every link target shown."""

from __future__ import annotations

import time

import pytest

from csconsole.domain.html_text import MAX_LINKS, MAX_TEXT_CHARS, html_to_text


def test_scripts_styles_and_head_are_dropped() -> None:
    html = (
        "<html><head><title>Title</title><style>p{color:red}</style>"
        "<script>alert(1)</script></head><body><p>Hello</p><script>steal()</script>"
        "<template>tpl</template><iframe src='https://x'>frame</iframe><svg><text>svg</text>"
        "</svg><p>World</p></body></html>"
    )
    assert html_to_text(html) == ("Hello\n\nWorld", [])


def test_unclosed_head_does_not_hide_the_body() -> None:
    assert html_to_text("<head><title>x</title>junk<body>Body text")[0] == "Body text"


def test_unclosed_script_hides_only_what_follows() -> None:
    assert html_to_text("<p>before</p><script>never closed <p>x</p>")[0] == "before"


def test_links_are_numbered_and_listed_once() -> None:
    text, links = html_to_text(
        '<p>Track <a href="https://shop.example/t/1">here</a>, again <a href="https://shop.example/t/1">'
        'here</a>, mail <a href="mailto:support@shop.example">us</a> or call '
        '<a href="tel:+989121234567">us</a></p>'
    )
    assert text == "Track here [1], again here [1], mail us [2] or call us [3]"
    assert links == ["https://shop.example/t/1", "mailto:support@shop.example", "tel:+989121234567"]


@pytest.mark.parametrize(
    "href",
    [
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        " java\nscript:alert(1)",
        "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
        "vbscript:msgbox",
        "file:///etc/passwd",
        "//evil.example/relative",
        "",
    ],
)
def test_only_safe_schemes_are_listed(href: str) -> None:
    text, links = html_to_text(f'<a href="{href}">click</a>')
    assert text == "click"
    assert links == []


def test_link_targets_cannot_carry_escapes() -> None:
    text, links = html_to_text('<a href="https://a.example/\x1b]8;;https://evil\x07x">esc</a>')
    assert links and all("\x1b" not in link and "\x07" not in link for link in links)
    assert text == "esc [1]"


def test_too_many_links_are_capped() -> None:
    html = "".join(f'<a href="https://x.example/{i}">l</a> ' for i in range(MAX_LINKS + 50))
    assert len(html_to_text(html)[1]) == MAX_LINKS


def test_entities_are_decoded_and_dangerous_ones_dropped() -> None:
    text, _ = html_to_text(
        "&amp; &lt;b&gt; &#1587;&#1604;&#1575;&#1605; &nbsp;x &copy; &#27;[2J &#x202e;evil &#x9b;"
    )
    assert text.startswith("& <b> سلام x ©")
    assert "evil" in text
    assert not any(bad in text for bad in ("\x1b", "\u202e", "\x9b", "\xa0"))


def test_lists_keep_bullets_numbers_and_nesting() -> None:
    html = "<ul><li>one</li><li>two<ol><li>a</li><li>b</li></ol></li></ul>after"
    assert html_to_text(html)[0] == "• one\n• two\n  1. a\n  2. b\nafter"


def test_tables_become_rows() -> None:
    html = (
        "<table><tr><th>Item</th><th>Qty</th></tr><tr><td>میز</td><td>۱</td></tr></table>"
        "<p>Total</p>"
    )
    assert html_to_text(html)[0] == "Item  Qty\nمیز  ۱\n\nTotal"


def test_paragraphs_breaks_and_quotes() -> None:
    assert html_to_text("<p>a<br>b<br><br><br><br><br>c</p>")[0] == "a\nb\n\nc"
    assert html_to_text("<blockquote>quoted<p>para</p></blockquote>after")[0] == (
        "> quoted\n\n> para\n\nafter"
    )
    assert html_to_text("before<blockquote>q<blockquote>deeper</blockquote></blockquote>")[0] == (
        "before\n\n> q\n\n> > deeper"
    )
    assert html_to_text("<pre>  keep\n    spaces</pre>")[0] == "  keep\n    spaces"


def test_images_show_alt_text_and_nothing_remote() -> None:
    text, links = html_to_text("<img src='https://tracker.example/p.gif' alt='logo'><img src=x>")
    assert text == "[logo]"
    assert links == []


def test_comments_cdata_and_processing_instructions_are_invisible() -> None:
    assert html_to_text("<!-- <p>hidden</p> -->shown <![CDATA[x]]><?php echo 1 ?>end")[0] == (
        "shown end"
    )


def test_rtl_text_and_stray_angle_brackets_survive() -> None:
    assert html_to_text("<p dir='rtl'>سلام <b>دنیا</b></p>")[0] == "سلام دنیا"
    assert html_to_text("a < b and c > d")[0] == "a < b and c > d"


def test_escapes_in_text_are_removed() -> None:
    text, _ = html_to_text("<p>visible \x1b[5m text \x9b31m \u202egnp.exe</p>")
    assert text == "visible  text  gnp.exe"


@pytest.mark.parametrize(
    "hostile",
    [
        "<a" * 500_000,
        "<p>" * 300_000,
        "<!--" * 250_000,
        "<a href='" * 150_000,
        "<" * 1_000_000,
        "<div>" * 200_000,
        "<ul><li>" * 100_000,
        "<blockquote>" * 100_000 + "x",
        "<p " + "a=1 " * 250_000 + ">",
        "<pre>" + "\n" * 500_000 + "</pre>",
        "&amp;" * 200_000,
    ],
    ids=lambda value: repr(value[:12]),
)
def test_hostile_markup_costs_bounded_time_and_output(hostile: str) -> None:
    started = time.monotonic()
    text, links = html_to_text(hostile)
    assert time.monotonic() - started < 5
    assert len(text) <= MAX_TEXT_CHARS and len(links) <= MAX_LINKS
