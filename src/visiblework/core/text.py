"""User text to safe HTML: Markdown rendered with markdown-it, then sanitised with nh3."""

from __future__ import annotations

import html

import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

_md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": True}).enable(
    "table"
)
_ALLOWED_TAGS = {
    "p", "br", "strong", "em", "a", "ul", "ol", "li", "blockquote", "code", "pre",
    "h2", "h3", "h4", "table", "thead", "tbody", "tr", "th", "td", "hr",
}


def markdown_to_html(text: str) -> SafeString:
    """Render Markdown; raw HTML is escaped by the parser and the output sanitised again."""
    html = _md.render(text or "")
    clean = nh3.clean(
        html,
        tags=_ALLOWED_TAGS,
        attributes={"a": {"href", "title"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow noopener noreferrer",
    )
    return mark_safe(clean)  # noqa: S308 - sanitised by nh3 just above


def strip_markup(text: str) -> str:
    """Plain text: every HTML tag and comment removed, with what script and style elements
    hold; other characters kept as typed ("3 < 5 & 6" stays). Entities are read, so markup
    written as entities ("&lt;b&gt;") goes too."""
    for _ in range(5):  # until nothing changes; each round undoes one level of entities
        stripped = html.unescape(nh3.clean(text, tags=set(),
                                           clean_content_tags={"script", "style"}))
        if stripped == text:
            break
        text = stripped
    return text
