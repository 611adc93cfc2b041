"""The explanation's Markdown renderer and its allow-list sanitizer, against hostile input."""

import re

import pytest

from core.markup import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, markdown_to_html, sanitize_html

# Each entry tries a different way to get markup, script or style onto the page.
HOSTILE = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    "<svg/onload=alert(1)>",
    "<iframe src='https://evil.example'></iframe>",
    "<a href='javascript:alert(1)'>x</a>",
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[click](vbscript:msgbox(1))",
    "![img](https://evil.example/x.png)",
    '<p style="color:red" onclick="alert(1)">styled</p>',
    "<style>body{display:none}</style>",
    '<div onmouseover="alert(1)">hover</div>',
    "<object data='x.swf'></object><embed src='x.swf'>",
    "<form action='https://evil.example'><input name=q></form>",
    "<meta http-equiv=refresh content='0;url=https://evil.example'>",
    "<base href='https://evil.example/'>",
    "<!-- <script>alert(1)</script> -->",
    "<math><mi xlink:href='javascript:alert(1)'>x</mi></math>",
    '<a href="https://ok.example" onclick="alert(1)" target="_blank">ok</a>',
    '[x](https://ok.example "title" onclick=alert(1))',
    "<<script>script>alert(1)<</script>/script>",
    "\u0000<script>alert(1)</script>",
    "<details open ontoggle=alert(1)>",
    "`<script>alert(1)</script>`",
    "```\n<script>alert(1)</script>\n```",
]

_TAG = re.compile(r"<\s*/?\s*([a-zA-Z0-9]+)([^>]*)>")
_ATTR = re.compile(r'([a-zA-Z_:][-a-zA-Z0-9_:.]*)\s*=\s*"([^"]*)"')


def _tags_and_attributes(html: str):
    for match in _TAG.finditer(html):
        tag, rest = match.group(1).lower(), match.group(2)
        yield tag, {name.lower(): value for name, value in _ATTR.findall(rest)}


@pytest.mark.parametrize("source", HOSTILE)
def test_only_allow_listed_tags_and_attributes_survive(source):
    for rendered in (markdown_to_html(source), sanitize_html(source)):
        for tag, attributes in _tags_and_attributes(rendered):
            assert tag in ALLOWED_TAGS, (source, rendered)
            allowed = ALLOWED_ATTRIBUTES.get(tag, set()) | ({"rel"} if tag == "a" else set())
            assert set(attributes) <= allowed, (source, rendered)
            for value in attributes.values():
                assert not value.lower().lstrip().startswith(("javascript:", "data:", "vbscript:"))
        lowered = rendered.lower()
        assert "<script" not in lowered and "<style" not in lowered


def test_a_script_in_the_markdown_is_shown_as_text_never_run():
    html = markdown_to_html("Before <script>alert('x')</script> after.")
    assert "<script" not in html
    assert "&lt;script&gt;" in html  # the reader sees what was typed


def test_the_newsroom_markup_is_kept_and_links_get_nofollow():
    html = markdown_to_html(
        "# Why\n\nThe **figures** are *clear*.\n\n- one\n- two\n\n1. first\n\n> quoted\n\n"
        "See [the release](https://stats.example.org/march)."
    )
    for fragment in [
        "<h2>Why</h2>",  # the page's h1 is the headline: Markdown headings start at h2
        "<strong>figures</strong>",
        "<em>clear</em>",
        "<ul>",
        "<ol>",
        "<blockquote>",
        '<a href="https://stats.example.org/march" rel="nofollow noopener">the release</a>',
    ]:
        assert fragment in html


def test_empty_text_renders_nothing():
    assert markdown_to_html("") == "" and markdown_to_html("   \n") == ""
