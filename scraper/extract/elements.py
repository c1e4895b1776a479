"""What an element says about itself: its marks, whether it is shown, where it sits."""

from __future__ import annotations

import re

import lxml.html

# Containers of other stories, comments and site furniture around the article.
_NOT_THE_ARTICLE = re.compile(
    r"comment|related|teaser|recirc|recommend|footer|sidebar|newsletter", re.IGNORECASE
)


def marks(node: lxml.html.HtmlElement) -> str:
    """The class, id and data-* values of an element: where CMSs say what a part is."""
    values = [node.get("class") or "", node.get("id") or ""]
    values += [v for k, v in node.attrib.items() if k.startswith("data-")]
    return " ".join(values)


def is_hidden(node: lxml.html.HtmlElement) -> bool:
    """The element or an ancestor is hidden, aria-hidden or inside <noscript>."""
    return bool(node.xpath("ancestor-or-self::*[@hidden or @aria-hidden='true' or self::noscript]"))


def is_outside_article(node: lxml.html.HtmlElement, *, itself: bool = False) -> bool:
    """The element sits in a footer, aside or nav, or in a block of comments or teasers
    (`itself`: or is one)."""
    nodes = node.iterancestors() if not itself else [node, *node.iterancestors()]
    return any(
        a.tag in ("footer", "aside", "nav")
        or (
            a.tag not in _PAGE_ROOTS
            and _NOT_THE_ARTICLE.search((a.get("class") or "") + " " + (a.get("id") or ""))
        )
        for a in nodes
    )


# The whole page: a theme's flags on <body> ("content-sidebar has-sidebar comments-open")
# describe the layout, not a region around the element.
_PAGE_ROOTS = ("body", "html")
