"""HTML checks shared by the public-page tests: strict parse, headings, JSON-LD blocks."""

import json

import extruct
import html5lib
import lxml.html


def assert_valid_html(content: bytes | str) -> None:
    """html5lib in strict mode raises on any parse error the WHATWG algorithm reports."""
    text = content.decode() if isinstance(content, bytes) else content
    assert text.startswith("<!DOCTYPE html>")
    html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parse(text)


def heading_levels(content: bytes) -> list[int]:
    tree = lxml.html.fromstring(content)
    return [int(el.tag[1]) for el in tree.iter("h1", "h2", "h3", "h4", "h5", "h6")]


def assert_headings_in_order(content: bytes) -> None:
    levels = heading_levels(content)
    assert levels[0] == 1 and levels.count(1) == 1, levels
    for before, after in zip(levels, levels[1:], strict=False):
        assert after <= before + 1, f"heading skips a level: {levels}"


def jsonld_blocks(content: bytes, url: str = "http://testserver/") -> list[dict]:
    """The page's JSON-LD as extruct (a real HTML + JSON-LD extractor) reads it."""
    return extruct.extract(content, base_url=url, syntaxes=["json-ld"], errors="strict")["json-ld"]


def script_elements(content: bytes) -> list:
    return list(lxml.html.fromstring(content).iter("script"))


def raw_jsonld(content: bytes) -> dict:
    (script,) = [s for s in script_elements(content) if s.get("type") == "application/ld+json"]
    return json.loads(script.text)


def xml_root(content: bytes):
    """Parse our own feed/sitemap output; entities and network off all the same."""
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    return etree.fromstring(content, parser)  # noqa: S320
