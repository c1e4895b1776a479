"""A generated local newspaper of any size, for whole-site crawl tests and benchmarks.

`build_site(root, articles=300)` writes a realistic site into `root`: robots.txt pointing at a
sitemap index (one child gzipped, one Google News sitemap), RSS and Atom feeds linked from
every page, a robots-disallowed /private/ section linked from the home page, paginated section, tag, author, video and gallery pages (not articles), articles with JSON-LD and
Open Graph metadata, AMP copies, and a few articles reachable only by links. Serve it with
`scraper.localsite.LocalSite`. Dates are relative to `now`, so `--since` tests stay valid.
"""

from __future__ import annotations

import gzip
import html
import json
import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

SECTIONS = ["politics", "business", "sport", "culture", "science", "local"]
FIRST = [
    "Ana",
    "Ben",
    "Carla",
    "David",
    "Elena",
    "Farid",
    "Grace",
    "Hugo",
    "Irene",
    "Jonas",
    "Kemal",
    "Lucia",
]
LAST = [
    "Alvarez",
    "Brooks",
    "Chen",
    "Dubois",
    "Eriksen",
    "Fischer",
    "Garcia",
    "Haddad",
    "Ito",
    "Jensen",
]
WORDS = [
    "council",
    "harbor",
    "budget",
    "vote",
    "plan",
    "school",
    "river",
    "bridge",
    "festival",
    "market",
    "storm",
    "league",
    "season",
    "museum",
    "clinic",
    "airport",
    "route",
    "ferry",
    "mayor",
    "union",
    "strike",
    "court",
    "ruling",
    "tax",
    "rate",
    "housing",
    "permit",
    "library",
    "police",
    "fire",
    "station",
    "coast",
    "port",
    "road",
    "train",
    "energy",
    "grid",
    "water",
    "farm",
    "price",
    "wage",
]
VERBS = [
    "approves",
    "delays",
    "expands",
    "rejects",
    "reviews",
    "funds",
    "opens",
    "closes",
    "debates",
    "launches",
]
SITE_NAME = "The Generated Gazette"


@dataclass
class GeneratedArticle:
    """One generated article: where it lives and what its record must say."""

    path: str
    title: str
    author: str
    published: datetime
    section: str
    paragraphs: list[str]
    in_sitemap: bool = True


@dataclass
class GeneratedSite:
    """What was generated: every article, and the paths that are not articles."""

    root: Path
    articles: list[GeneratedArticle] = field(default_factory=list)
    non_article_paths: list[str] = field(default_factory=list)
    disallowed_paths: list[str] = field(default_factory=list)

    @property
    def article_paths(self) -> list[str]:
        """Canonical paths of every article."""
        return [a.path for a in self.articles]


def _sentence(rng: random.Random) -> str:
    words = rng.sample(WORDS, 9)
    return f"The {words[0]} {rng.choice(VERBS)} a {words[1]} {words[2]} after {rng.randint(2, 99)} {words[3]} {words[4]} in the {words[5]} {words[6]} {words[7]} {words[8]}."


def _paragraph(rng: random.Random) -> str:
    return " ".join(_sentence(rng) for _ in range(rng.randint(2, 4)))


def _page(title: str, head: str, body: str) -> str:
    nav = " ".join(f'<a href="/section/{s}/">{s.title()}</a>' for s in SECTIONS)
    return (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)} | {SITE_NAME}</title>'
        f'<meta property="og:site_name" content="{SITE_NAME}">'
        f'<link rel="alternate" type="application/rss+xml" title="{SITE_NAME}" href="/feed.xml">'
        f'<link rel="alternate" type="application/atom+xml" title="{SITE_NAME}" href="/atom.xml">{head}</head>'
        f'<body><header><a href="/">{SITE_NAME}</a><nav>{nav}</nav></header>{body}'
        f'<footer><p>© {SITE_NAME}. All rights reserved.</p><a href="/about/">About us</a></footer></body></html>'
    )


def _article_html(article: GeneratedArticle, origin_path: str) -> str:
    published = article.published.isoformat()
    ld = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title,
        "datePublished": published,
        "author": {"@type": "Person", "name": article.author},
        "publisher": {"@type": "NewsMediaOrganization", "name": SITE_NAME},
        "articleSection": article.section.title(),
    }
    head = (
        f'<link rel="canonical" href="{origin_path}"><meta property="og:type" content="article">'
        f'<meta property="og:title" content="{html.escape(article.title)}">'
        f'<meta property="article:published_time" content="{published}">'
        f'<script type="application/ld+json">{json.dumps(ld)}</script>'
    )
    paragraphs = "".join(f"<p>{html.escape(p)}</p>" for p in article.paragraphs)
    body = (
        f'<main><article><h1>{html.escape(article.title)}</h1><p class="byline">By <a rel="author" href="/author/{article.author.lower().replace(" ", "-")}/">{article.author}</a></p>'
        f'<time datetime="{published}">{article.published:%B %d, %Y}</time><div class="article-body">{paragraphs}</div>'
        f'<aside><h3>Share</h3><a href="https://twitter.invalid/share">Twitter</a></aside></article></main>'
    )
    return _page(article.title, head, body)


def _listing(title: str, links: list[GeneratedArticle]) -> str:
    items = "".join(
        f'<li><h3><a href="{a.path}">{html.escape(a.title)}</a></h3><p>{html.escape(a.paragraphs[0][:90])}…</p></li>'
        for a in links
    )
    return _page(
        title,
        '<meta property="og:type" content="website">',
        f"<main><h1>{html.escape(title)}</h1><ul>{items}</ul></main>",
    )


def _write(root: Path, path: str, text: str | bytes) -> None:
    target = root / path.lstrip("/")
    if path.endswith("/"):
        target = target / "index.html"
    target.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        target.write_bytes(text)
    else:
        target.write_text(text, encoding="utf-8")


def _urlset(entries: list[str], news: bool = False) -> str:
    ns = ' xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"' if news else ""
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"{ns}>\n'
        + "\n".join(entries)
        + "\n</urlset>\n"
    )


def build_site(
    root: Path, articles: int = 300, seed: int = 0, now: datetime | None = None
) -> GeneratedSite:
    """Write a newspaper with `articles` articles into `root` and describe it."""
    rng = random.Random(seed)
    now = (now or datetime.now(UTC)).replace(microsecond=0)
    site = GeneratedSite(root=root)
    for index in range(articles):
        published = now - timedelta(hours=6 * index + rng.randint(0, 5))
        words = rng.sample(WORDS, 3)
        title = (
            f"{words[0].title()} {rng.choice(VERBS)} {words[1]} {words[2]} plan, number {index + 1}"
        )
        slug = "-".join(title.lower().replace(",", "").split())
        section = SECTIONS[index % len(SECTIONS)]
        article = GeneratedArticle(
            path=f"/{published:%Y/%m/%d}/{slug}/",
            title=title,
            author=f"{rng.choice(FIRST)} {rng.choice(LAST)}",
            published=published,
            section=section,
            paragraphs=[_paragraph(rng) for _ in range(rng.randint(4, 8))],
            # Every 25th article is only linked from section pages, never listed in a sitemap.
            in_sitemap=index % 25 != 7,
        )
        site.articles.append(article)
        _write(root, article.path, _article_html(article, "__ORIGIN__" + article.path))
        _write(
            root,
            article.path + "amp/",
            _article_html(article, "__ORIGIN__" + article.path).replace("<html", "<html amp"),
        )

    by_section = {s: [a for a in site.articles if a.section == s] for s in SECTIONS}
    for section, items in by_section.items():
        # Sections are paginated, 40 teasers a page, linked by rel=next as CMSs do.
        pages = [items[start : start + 40] for start in range(0, len(items), 40)] or [[]]
        for number, chunk in enumerate(pages, start=1):
            path = f"/section/{section}/" + (f"page/{number}/" if number > 1 else "")
            listing = _listing(section.title(), chunk)
            if number < len(pages):
                listing = listing.replace(
                    "</main>",
                    f'<a rel="next" href="/section/{section}/page/{number + 1}/">Next</a></main>',
                )
            _write(root, path, listing)
            site.non_article_paths.append(path)
    authors = sorted({a.author for a in site.articles})
    for author in authors:
        path = f"/author/{author.lower().replace(' ', '-')}/"
        _write(
            root,
            path,
            _listing(
                f"Articles by {author}", [a for a in site.articles if a.author == author][:20]
            ),
        )
        site.non_article_paths.append(path)
    for word in WORDS[:8]:
        _write(
            root,
            f"/tag/{word}/",
            _listing(f"Tag: {word}", [a for a in site.articles if word in a.title.lower()][:20]),
        )
        site.non_article_paths.append(f"/tag/{word}/")
    for kind in ("video", "gallery"):
        for number in range(3):
            path = f"/{kind}/{number}/"
            _write(
                root,
                path,
                _page(
                    f"{kind.title()} {number}",
                    '<meta property="og:type" content="video.other">',
                    f"<main><h1>{kind.title()} {number}</h1><p>Watch.</p></main>",
                ),
            )
            site.non_article_paths.append(path)
    _write(
        root,
        "/about/",
        _page("About us", "", "<main><h1>About us</h1><p>We are a generated newspaper.</p></main>"),
    )
    home_links = "".join(
        f'<li><a href="{a.path}?utm_source=home&amp;utm_medium=web">{html.escape(a.title)}</a></li>'
        for a in site.articles[:20]
    )
    # A subscriber section robots.txt disallows: linked from the home page, never to be fetched.
    for number in range(3):
        private = GeneratedArticle(
            path=f"/private/subscriber-briefing-{number}/",
            title=f"Subscriber briefing {number}",
            author=FIRST[number] + " " + LAST[number],
            published=now,
            section="private",
            paragraphs=[_paragraph(rng) for _ in range(4)],
            in_sitemap=False,
        )
        _write(root, private.path, _article_html(private, "__ORIGIN__" + private.path))
        site.disallowed_paths.append(private.path)
        home_links += f'<li><a href="{private.path}">{private.title}</a></li>'
    home_links += '<li><a href="/atom.xml">Atom</a></li>'

    _write(
        root, "/", _page(SITE_NAME, "", f"<main><h1>{SITE_NAME}</h1><ul>{home_links}</ul></main>")
    )
    _write(root, "/404.html", _page("Not found", "", "<main><h1>Page not found</h1></main>"))

    listed = [a for a in site.articles if a.in_sitemap]
    half = len(listed) // 2

    def entry(a: GeneratedArticle) -> str:
        return (
            f"<url><loc>__ORIGIN__{a.path}</loc><lastmod>{a.published.isoformat()}</lastmod></url>"
        )

    _write(
        root,
        "/sitemap-articles-1.xml.gz",
        gzip.compress(_urlset([entry(a) for a in listed[:half]]).encode()),
    )
    _write(root, "/sitemap-articles-2.xml", _urlset([entry(a) for a in listed[half:]]))
    news = [
        f"<url><loc>__ORIGIN__{a.path}</loc><news:news><news:publication><news:name>{SITE_NAME}</news:name>"
        f"<news:language>en</news:language></news:publication><news:publication_date>{a.published.isoformat()}</news:publication_date>"
        f"<news:title>{html.escape(a.title)}</news:title></news:news></url>"
        for a in listed[:50]
    ]
    _write(root, "/news-sitemap.xml", _urlset(news, news=True))
    _write(
        root,
        "/sitemap-sections.xml",
        _urlset([f"<url><loc>__ORIGIN__{p}</loc></url>" for p in site.non_article_paths]),
    )
    children = [
        "sitemap-articles-1.xml.gz",
        "sitemap-articles-2.xml",
        "news-sitemap.xml",
        "sitemap-sections.xml",
    ]
    index_xml = (
        '<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        + "\n".join(f"<sitemap><loc>__ORIGIN__/{c}</loc></sitemap>" for c in children)
        + "\n</sitemapindex>\n"
    )
    _write(root, "/sitemap_index.xml", index_xml)
    items = "".join(
        f"<item><title>{html.escape(a.title)}</title><link>__ORIGIN__{a.path}</link><pubDate>{a.published:%a, %d %b %Y %H:%M:%S +0000}</pubDate></item>"
        for a in site.articles[:30]
    )
    _write(
        root,
        "/feed.xml",
        f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>{SITE_NAME}</title><link>__ORIGIN__/</link>{items}</channel></rss>',
    )
    entries = "".join(
        f'<entry><title>{html.escape(a.title)}</title><link rel="alternate" href="__ORIGIN__{a.path}"/>'
        f"<id>__ORIGIN__{a.path}</id><published>{a.published.isoformat()}</published></entry>"
        for a in site.articles[:30]
    )
    _write(
        root,
        "/atom.xml",
        f'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>{SITE_NAME}</title>{entries}</feed>',
    )
    _write(
        root,
        "/robots.txt",
        "User-agent: *\nDisallow: /private/\n\nSitemap: __ORIGIN__/sitemap_index.xml\n",
    )
    return site
