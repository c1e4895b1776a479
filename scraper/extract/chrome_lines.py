"""Page chrome that generic extraction leaves in the text, matched as whole lines only.

Every pattern here must match an entire paragraph: "Share" as a line is a button label,
"share" inside a sentence is English. Each group names the kind of page that needed it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

try:  # the standard library's own pattern parser (Python 3.11+), for the pre-tests below
    import re._constants as _sre
    import re._parser as _sre_parse
except ImportError:  # no pre-tests: every rule in the one alternation
    _sre = _sre_parse = None


@dataclass(frozen=True)
class LineRule:
    """A pattern that reads a whole paragraph as chrome, and the name a trace gives it."""

    name: str
    pattern: str


# The roles a production credit names (German and English). Not the photo shoot's
# ("Produktion: …", "Styling: …"): a magazine's cover story keeps those in its text.
_PRODUCTION_ROLE = (
    r"(?:redaktion|schlussredaktion|übersetzung|faktencheck|audioversion|mitarbeit|recherche|"
    r"bildredaktion|lektorat|translation|fact-?checking)"
    # Two roles of one credit: "Übersetzung und Adaptierung: AFP Deutschland".
    r"(?:\s*(?:und|and|&)\s*(?:redaktion|adaptierung|adaptation|bearbeitung|editing))?"
)

# A name as credits print it: capitalised words, with the particles of names.
_CREDIT_NAME = r"(?-i:[A-Z][\w.'’-]*)(?:\s+(?:(?-i:[A-Z][\w.'’-]*)|de|da|del|der|van|von|al|bin|la|le|du)){0,4}"
_CREDIT_NAMES = rf"{_CREDIT_NAME}(?:\s*(?:,|&|\band\b)\s*{_CREDIT_NAME})*"
# One role of a wire story's credits, each name with where it worked: "Reporting by Maya
# Gebeilly in Beirut, Anthony Deutsch in The Hague and David Clarke in London".
_CREDIT_PLACE = r"(?: in (?-i:[A-Z])[\w.'’-]*(?:,? (?-i:[A-Z])[\w.'’-]*){0,2})?"
_CREDIT_CLAUSE = (
    r"(?:additional )?(?:reporting|writing|editing|compiled|research|graphics) by "
    rf"{_CREDIT_NAME}{_CREDIT_PLACE}(?:\s*(?:,|&|\band\b)\s*{_CREDIT_NAME}{_CREDIT_PLACE})*"
)
# The wire agencies (a closed class) and the outlet's own address, as news items name their
# source ("Quelle: ntv.de").
_WIRE = (
    r"(?:dpa(?:-afx)?|afp|ap|reuters|kna|epd|sid|apa|sda|ansa|efe|xinhua|pa(?: media)?|upi|tass|"
    r"anadolu|(?:news |nachrichten)?agenc(?:y|ies)|(?:nachrichten)?agenturen?|agencias|agences|"
    r"wire services|[\w-]+\.(?:com|de|net|org|ch|at|co\.uk|fr|it|es))"
)
# A word of a picture credit: a capitalised name, or an agency written in lower case.
_CREDIT_WORD = r"(?:(?-i:[A-Z])[\w.&'’-]*|dpa|imago|epa|afp|picture[- ]alliance|via|for)"
# Social networks, as "Follow us on ..." names them.
_NETWORKS = (
    r"(?:facebook|twitter|x|instagram|youtube|tiktok|threads|linkedin|whatsapp|telegram|mastodon|"
    r"bluesky|pinterest|snapchat|google news|social media)"
    r"(?:\s*(?:,|and|&|or)\s*(?:facebook|twitter|x|instagram|youtube|tiktok|threads|linkedin|"
    r"whatsapp|telegram|mastodon|bluesky|pinterest|snapchat|google news))*"
)

LINE_RULES: tuple[LineRule, ...] = (
    # Wix and other site builders: skip links, avatar labels, counters, like buttons.
    LineRule("builder.page-edge", r"(?:top|bottom) of (?:the )?page"),
    LineRule("builder.skip-to-content", r"skip to (?:main )?content"),
    LineRule("builder.writer-picture", r"writer'?s picture.*"),
    LineRule("builder.like-button", r"(?:post (?:not )?marked as liked|like|liked|unlike)\s*\d*"),
    LineRule(
        "builder.counters", r"(?:\d[\d.,]*[kKmM]?\s*(?:views?|comments?|likes?|shares?|reads?)\s*)+"
    ),
    LineRule(
        "navigation.more-links",
        r"recent posts|see all|view all|show more|load more|more posts|related posts|explore further",
    ),
    LineRule(
        "account.login-label",
        r"log ?in(?: to (?:comment|like|reply).*)?|sign ?in|sign ?up|register|log ?out",
    ),
    LineRule(
        "comments.prompt",
        r"tell us what you think\W{0,3}|write a comment\.{0,3}|comments?|leave a (?:comment|reply)|\d+ comments?|no comments(?: yet)?",
    ),
    LineRule(
        "comments.login-required",
        r"you must be logged in to (?:post a )?comment\.?|kommentar (?:abgeben|schreiben)|"
        r"du musst (?:dich )?(?:einloggen|anmelden|angemeldet sein),? um (?:einen )?kommentar\w* "
        r"(?:abzugeben|zu schreiben)\.?",
    ),
    # A Korean byline alone on its line: "홍길동 기자", "홍길동 기자 외 1명" (and one other),
    # with the reporter's address after it.
    LineRule(
        "byline.korean-reporter",
        r"(?:[가-힣]{2,4}\s*기자\s*(?:외\s*\d+\s*명)?\s*(?:\S+@\S+\.\w+)?\s*)+",
    ),
    # A WordPress shortcode the theme did not render: '[button link="…"] Send us …[/button]'.
    LineRule(
        "cms.wordpress-shortcode",
        r"\[(?P<shortcode>[a-z_][\w-]*)(?:\s[^\]]*)?\].{0,200}\[/(?P=shortcode)\]",
    ),
    # The notice a share button shows once it has copied the article's address.
    LineRule(
        "share.link-copied",
        r"(?:(?:the )?(?:article )?(?:link|url) (?:has been |was )?copied(?: to (?:the )?clipboard)?|"
        r"link (?:kopiert|copié|copiado|copiato)|(?:기사 )?(?:url|링크)[이가] 복사되었습니다)[.!]?",
    ),
    LineRule(
        "share.button-label",
        r"(?:share|share (?:this|on|via)\b[^.?!]{0,40}|compartir|teilen|partager|tweet|click to tweet|"
        r"email|print|copy link)",
    ),
    # Newsletter, subscription and cookie prompts.
    LineRule(
        "subscription.sign-up-label",
        r"(?:sign up|subscribe)(?: (?:for|to) (?:our|the)? ?(?:free )?(?:daily |weekly )?newsletters?)?[.!]?",
    ),
    LineRule("subscription.sign-up-now", r"(?:subscribe|sign up) (?:now|today|here)[.!]?"),
    LineRule(
        "subscription.sign-up-label-foreign", r"suscr[ií]bete(?: ahora)?|abonnieren|abonnez-vous"
    ),
    LineRule(
        "subscription.subscribers-only-feature",
        r"(?:this feature|esta funci(?:ón|onalidad)|diese funktion|cette fonctionnalité) "
        r"(?:is|es|ist|est) (?:only |sólo |solo |nur |uniquement )?(?:available |disponible )?"
        r"(?:for|para|für|pour) (?:subscribers|suscriptores|abonnenten|abonnés)\b.{0,60}",
    ),
    LineRule("subscription.thanks", r"(?:thanks|thank you) for (?:subscribing|signing up)!?"),
    # A newsletter box's title: "Get daily National news", "Get weekly money news".
    LineRule(
        "newsletter.box-title",
        r"get (?:daily|weekly|breaking|the latest) (?:[\w&-]+ ){0,3}news(?:letters?)?[.!]?",
    ),
    LineRule(
        # A prompt, not a clause of a sentence ("Get real-time updates from the field, the
        # general told ...").
        "newsletter.live-updates-promo",
        r"get (?:real[- ]time|live|instant) updates\b[^,;.!?]{0,120}[.!]?",
    ),
    LineRule(
        "newsletter.sign-up-sentence",
        r".{0,250}\b(?:sign(?:ing)? up|subscrib(?:e|ing)|register(?:ing)?) (?:to|for) (?:our|the) (?:free )?"
        r"(?:[\w’'-]+ ){0,8}newsletters?\b.{0,150}",
    ),
    LineRule(
        "contact.email-us",
        r".{0,40}\b(?:get in touch|contact us|e-?mail us|tip us off|senden sie uns|schreiben sie uns|"
        r"écrivez-nous|escríbenos)\b.{0,80}\S+@\S+\.\w+.{0,40}",
    ),
    LineRule("newsletter.email-field", r"(?:enter your|your) e-?mail(?: address)?\.{0,3}"),
    # A share-by-email form's status line.
    LineRule("share.form-error", r"an error has occurred,? please try again(?: later)?\.?"),
    LineRule("share.form-sent", r"this article has been sent to\b.{0,80}"),
    # A print subscription's offer: "Get <magazine> delivered through your letterbox ...".
    LineRule(
        "subscription.print-delivery",
        r".{0,200}\bdelivered (?:to|through) your (?:door|doorstep|letterbox|letter box)\b.{0,100}"
        r"\b(?:issues|subscri\w*)\b.{0,150}",
    ),
    LineRule("cookies.notice", r"(?:we|this (?:web)?site|our site) uses? cookies\b.{0,300}"),
    LineRule(
        "cookies.buttons",
        r"(?:accept|reject|allow|manage)(?: all)? cookies|cookie (?:settings|preferences|policy)",
    ),
    LineRule(
        "ads.label",
        r"(?:advertisement|advertising|anzeige|publicidad|publicité|werbung|sponsored|ad)",
    ),
    LineRule(
        "ads.skip", r"(?:skip (?:the )?ad(?:vertisement)?|passer la publicité|werbung überspringen)"
    ),
    # Consent placeholders where an embedded post or video would load (German publishers'
    # wording is fixed by their consent tools; the English ones are the common vendor texts).
    LineRule(
        "embed.consent-placeholder-de",
        r"(?:empfohlener (?:redaktioneller )?inhalt|externer inhalt|ein klick für den datenschutz)",
    ),
    LineRule(
        "embed.consent-agree-de",
        r"(?:ich bin damit einverstanden|ich willige ein), dass mir (?:der |die )?externen? inhalte?"
        r" angezeigt (?:wird|werden)\b.{0,400}",
    ),
    LineRule(
        "embed.consent-external-de",
        r"an dieser stelle finden sie (?:einen|ein|eine) (?:von unseren redakteuren ausgewählten|externen)"
        r"\b.{0,400}",
    ),
    LineRule(
        "embed.third-party-content",
        r"(?:this|the) (?:embedded )?content is (?:provided|hosted) by (?:a )?third[- ]part(?:y|ies)\b.{0,300}",
    ),
    LineRule(
        "embed.enable-to-view",
        r"to (?:view|see|display) this (?:content|video|post|embed),? (?:please )?(?:enable|accept|allow)"
        r"\b.{0,200}",
    ),
    # Video and audio players' captions: "02:57 Min.. Verfügbar bis 06.05.2024.".
    LineRule("player.duration", r"\d{1,2}:\d{2}\s*min\.*\s*(?:verfügbar bis\b.{0,40})?"),
    # Paywall prompts left beside a teaser.
    LineRule(
        "paywall.subscribe-to-continue",
        r"(?:subscribe|sign in|log in|register) to (?:continue|keep) reading\b.{0,200}",
    ),
    LineRule(
        "paywall.subscribers-only",
        r"this (?:article|story|content) is (?:only )?(?:available|reserved|exclusive) (?:to|for) "
        r"(?:paying )?(?:subscribers|members)\b.{0,200}",
    ),
    # "Read more" style cross-links standing alone.
    LineRule(
        "crosslink.read-more-label",
        r"(?:read more|read next|lea también|lee también|weiterlesen|mehr zum thema|lire aussi|"
        r"à lire aussi)[:.…]?",
    ),
    LineRule("social.follow-us", rf"(?:follow|find|like|join) us on {_NETWORKS}[.!]?"),
    # A line announcing the link or embed after it: "Mehr zur Lage lesen Sie in unserem
    # Liveblog:", "Mehr zum Thema finden Sie auch im wöchentlichen Zins-Check:".
    LineRule(
        "crosslink.announcement-de",
        r".{0,100}\b(?:lesen|finden|sehen|hören) sie\b.{0,30}\b(?:in|im|bei|auf)\b.{0,60}:",
    ),
    LineRule(
        "crosslink.more-topics-de",
        r"mehr (?:themen|artikel|news|nachrichten|videos|geschichten) (?:auf|bei|von|aus)\b.{0,40}",
    ),
    # A live blog's "Follow along with the latest updates below." ("Follow along as the team
    # climbs ..." is a story).
    LineRule(
        "crosslink.follow-live-blog",
        r"follow (?:along (?:with )?(?:the |our )?(?:latest |live )?(?:updates|coverage)|"
        r"our live (?:blog|coverage|updates))\b.{0,80}",
    ),
    LineRule("crosslink.more-info-de", r"mehr infos?\.?"),
    LineRule(
        "crosslink.also-like",
        r"(?:lesen sie auch|don'?t miss|you may also like|you might also like|most read|trending now)[:.!]?",
    ),
    LineRule("crosslink.most-read-in", r"most (?:read|popular|viewed) in [\w&' -]{1,30}"),
    LineRule(
        "crosslink.related-articles",
        r"(?:ähnliche|verwandte) artikel|noticias? relacionadas?|notícias relacionadas|articles? similaires",
    ),
    # Social and contact prompts at the end of news articles.
    LineRule("social.follow-coverage", r"follow (?:\S+ ){0,3}(?:full )?coverage of .{0,150}"),
    LineRule(
        "contact.got-a-story",
        r"(?:got a story|(?:do you )?have a story(?: to (?:tell|share))?)\?.{0,200}",
    ),
    LineRule("contact.get-in-touch", r"get in touch with (?:our|the) .{0,200}"),
    LineRule("contact.write-to", r"write to .{1,80} at \S+@\S+"),
    LineRule(
        "contact.reach-reporter",
        r"(?:reach|contact|email) (?:the )?(?:reporters?|writers?|authors?)\b.{0,40}\bat .{1,200}",
    ),
    # Wire credits: "Reporting by Jane Doe in London; Editing by John Smith", names only:
    # "Reporting by the newspaper revealed ..." and "Writing by candlelight, ..." are stories.
    LineRule(
        "credits.wire-roles", rf"{_CREDIT_CLAUSE}(?:\s*[;,.]\s*(?:and )?{_CREDIT_CLAUSE})*\.?"
    ),
    # Production credits, one role or several: "Redaktion: Marcus Bensmann, Elena Müller",
    # "Übersetzung: A, Redaktion: B, Schlussredaktion: C". "Contributing: X" is not among the
    # roles: the scrapinghub gold keeps it as text.
    LineRule(
        "credits.production-roles",
        rf"(?:{_PRODUCTION_ROLE}\s*:\s*[^:.!?]{{2,100}}?\s*[,;]?\s*){{1,6}}",
    ),
    LineRule(
        "credits.contributed",
        r".{0,250}\bcontributed (?:to )?(?:this )?(?:report|reporting|research|story)"
        # ... "from Hong Kong", "from Washington, D.C.": a place, capitalised.
        r"(?: (?:from|in) (?-i:[A-Z])[^,;]{0,40}(?:, (?-i:[A-Z])[^,;]{0,20})?)?\.?",
    ),
    LineRule(
        "credits.with-reporting-from",
        rf"with (?:additional )?(?:reports?|reporting|files|information|material) from (?:the )?"
        rf"{_CREDIT_NAMES}\.?",
    ),
    # "Mit Informationen der ARD-Korrespondenten sowie der Nachrichtenagenturen AFP, AP, dpa":
    # only with a wire or correspondents named, since "Mit Informationen der Polizei ..." opens
    # sentences too.
    LineRule(
        "credits.wire-information-de",
        r"mit (?:informationen|material) (?:von|der|des)\b.{0,80}\b(?:nachrichtenagentur\w*|agentur\w*|"
        r"korrespondent\w*|dpa|afp|reuters|ap|kna|epd)\b.{0,200}",
    ),
    # Donation and membership appeals closing an article.
    LineRule(
        "appeal.donation",
        # ... that asks for support ("If you enjoyed this article, share it" is no appeal).
        r"(?=.*\b(?:support|donat\w*|contribut\w*|subscri\w*|membership|unterstütz\w*|spende\w*|"
        r"abonn\w*)\b)"
        r"(?:hat ihnen (?:dieser|der) (?:artikel|beitrag) gefallen|gefällt ihnen unsere arbeit|"
        r"did you (?:like|enjoy) this (?:article|story)|if you (?:value|appreciate|enjoyed) "
        r"(?:our|this) (?:journalism|reporting|work|article))\b.{0,300}",
    ),
    # A news item's wire source: "Quelle: AFP", "SOURCE: News agencies" (a chart's source,
    # "Source: Bureau of Labor Statistics", is part of the text).
    LineRule(
        "credits.wire-source",
        rf"(?:source|sources|quelle|quellen|fuente|fonte|kilde|källa|bron)\s*:\s*"
        rf"{_WIRE}(?:\s*(?:[/,;&+]|and|und|y|et)\s*{_WIRE})*\.?",
    ),
    # German-language desks close with the editor's or agency's letters in lower case: "(dmk)",
    # "(dpa/red)"; a word in parentheses ("(Laughter)", "(NASA/GSFC)") is text.
    LineRule(
        "credits.desk-letters",
        r"\(\s*(?-i:[a-z]{3,5})(?:\s*[/,;]\s*(?-i:[a-z]{2,5})){0,3}\s*\)",
    ),
    # ... after the broadcaster's initials: "MDR (dst)".
    LineRule(
        "credits.outlet-desk-letters",
        r"(?-i:[A-Z]{2,6}\d{0,2})\s*\(\s*(?-i:[a-z]{2,5})(?:\s*[/,;]\s*(?-i:[a-z]{2,5})){0,3}\s*\)",
    ),
    # Broadcasters name the programme an item ran in: "Sendung: Antenne Brandenburg, 24.04.2024".
    LineRule("credits.broadcast-programme", r"(?:sendung|dieses thema im programm)\s*:\s*.{1,120}"),
    # A tip line under an investigation: "... Hinweise zum Themengebiet? Melden Sie vertraulich
    # und sicher via Signal bei unserem Reporter: ...", "Have a tip? Reach us securely on Signal".
    # The line asks for tips or contact: "talked securely on Signal" in a story stays.
    LineRule(
        "contact.tip-line",
        r"(?=.{0,300}\b(?:tips?|hinweise?|contact|reach|melden|kontakt\w*)\b)"
        r".{0,200}\b(?:vertraulich|securely|confidentially|anonym)\b.{0,40}\b(?:via|über|on|using|through)"
        r"\s+(?:signal|securedrop|threema|proton\s?mail)\b.{0,120}",
    ),
    # Print and reprint tools.
    LineRule(
        "tools.reprints", r"(?:order reprints?|print article|reprints?|print this (?:article|page))"
    ),
    # A picture credit: "Foto: dpa", "Photo: AP Photo/Jane Doe", names only ("Photo: a family
    # walks past ..." is a caption, and captions are the caption stage's).
    LineRule(
        "credits.picture",
        rf"(?:photo|foto|bild|credit)s?\s*:\s*{_CREDIT_WORD}(?:\s*[\s/|,;+]\s*{_CREDIT_WORD}){{0,7}}\.?",
    ),
    # A time stamp without a date: "Updated at 1:23 p.m.", "Posted 09:40 ET".
    LineRule(
        "notice.time-stamp",
        r"(?:updated|posted|published)(?: at)? \d{1,2}[:.]\d{2}\s*(?:[ap]\.?\s?m\.?)?(?:\s*[a-z]{2,4})?\.?",
    ),
    # A site's copyright notice names this century's years: "© 2024 The Paper", "Copyright AFP
    # 2017-2026. Für die kommerzielle Nutzung ... erforderlich." ("© Reuters" under a picture,
    # an old program's "(c) Copyright 1990-1994, ..." and "Copyright law ..." are text).
    LineRule(
        "notice.copyright",
        r"(?:©|ⓒ|\(c\)|copyright)\s*(?:\S+\s+){0,4}(?:©|ⓒ)?20[0-3]\d(?:\s*[-–]\s*20[0-3]\d)?\b.{0,250}",
    ),
    # Korean outlets' notice: "<저작권자 ⓒ 연합뉴스, 무단 전재-재배포 금지>", "<Copyright ⓒ X. ...>".
    LineRule("notice.korean-copyright", r"<\s*(?:저작권자|copyright)\s*[ⓒ©].{0,120}>"),
)
# A line rule matches the whole paragraph, after at most two bullet marks.
_LINE_HEAD, _LINE_TAIL = r"^\s*(?:[-–•·*]\s*){0,2}(?:", r")\s*$"
# All rules in one alternation answer "is it chrome?" in one pass; the rare line that is
# chrome is then matched rule by rule to name the rule.
_CHROME_LINE = re.compile(
    _LINE_HEAD + "|".join(f"(?:{rule.pattern})" for rule in LINE_RULES) + _LINE_TAIL,
    re.IGNORECASE,
)
_EACH_LINE_RULE = [
    (rule.name, re.compile(_LINE_HEAD + rule.pattern + _LINE_TAIL, re.IGNORECASE))
    for rule in LINE_RULES
]


# A rule that may start anywhere in the line (".{0,250}\bsubscribe to ...", a lookahead over the
# whole line) is tried at every position up to its bound: seven such rules were nine tenths of
# the alternation's time. Each gets a pre-test instead, derived from its own pattern: the words
# one of which every line it matches must hold ("newsletter"; "if you", "did you", ...), looked
# for in the line folded by `_folded_line`.
def _required_words(items: Any) -> list[set[str]]:
    """For a parsed pattern, sets of literal words each of which some word in the set must
    appear in any match (one set a mandatory part of the pattern)."""
    found: list[set[str]] = []
    items = list(items)
    index = 0
    while index < len(items):
        op, value = items[index]
        if op is _sre.LITERAL:
            word = ""
            while index < len(items) and items[index][0] is _sre.LITERAL:
                word += chr(items[index][1])
                index += 1
            found.append({word})
            continue
        if op is _sre.SUBPATTERN:
            found += _required_words(value[-1])
        elif op is _sre.BRANCH:
            words: set[str] = set()
            for branch in value[1]:
                best = _best_words(_required_words(branch))
                if best is None:
                    break
                words |= best
            else:
                found.append(words)
        elif op is _sre.ASSERT and value[0] == 1:
            found += _required_words(value[1])
        elif op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT) and value[0] >= 1:
            found += _required_words(value[2])
        index += 1
    return found


def _best_words(candidates: list[set[str]]) -> set[str] | None:
    """The most selective set: the longest shortest word, then the fewest words."""
    if not candidates:
        return None
    return max(candidates, key=lambda words: (min(map(len, words)), -len(words)))


def _starts_anywhere(parsed: Any) -> bool:
    """The pattern opens with a lookahead or with a run of any characters."""
    op, value = next(iter(parsed))
    if op is _sre.ASSERT:
        return True
    return op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT) and [c[0] for c in value[2]] == [_sre.ANY]


def _rule_words(rule: LineRule) -> tuple[str, ...] | None:
    """The folded words (see `_folded_line`) one of which a line that `rule` matches holds,
    or None for a rule without a pre-test (anchored, or no such words found)."""
    if _sre is None:
        return None
    try:
        parsed = _sre_parse.parse(rule.pattern, re.IGNORECASE)
        if not _starts_anywhere(parsed):
            return None
        words = _best_words(_required_words(parsed))
    except Exception:  # a pattern the parser's internals read otherwise: no pre-test
        return None
    return tuple(sorted(_folded_line(word) for word in words)) if words else None


# IGNORECASE matches a pattern's letter with every character whose simple lower case is the
# letter's, and with a few more (re._casefix): "ı" and "İ" with "i", "ſ" with "s". str.lower()
# leaves "ı" and "ſ" as they are and makes "İ" two characters ("i" and a combining dot); with
# these three set first to the letter IGNORECASE matches them with, the line is lowered one
# character for one, and wherever a rule matches a word in the line, the folded line holds the
# folded word (tests/test_chrome_line_matching.py holds this for every character of every
# word). Non-ASCII lines (a quarter of the dev pages' lines: German, French, curly quotes) went
# through the whole alternation: 1.0 -> 0.3 ms a page.
_CASE_FIX = str.maketrans({"İ": "i", "ı": "i", "ſ": "s"})
_CASE_FIX_CHARACTERS = re.compile("[İıſ]")


def _folded_line(line: str) -> str:
    """`line` lower-cased, one character for one, as IGNORECASE compares its letters."""
    if line.isascii():
        return line.lower()
    if _CASE_FIX_CHARACTERS.search(line):
        line = line.translate(_CASE_FIX)
    return line.lower()


_PRETESTED = {rule.name: words for rule in LINE_RULES if (words := _rule_words(rule)) is not None}
# The other rules in one alternation; the pre-tested ones each alone, behind their words.
_UNTESTED_LINE = re.compile(
    _LINE_HEAD
    + "|".join(f"(?:{rule.pattern})" for rule in LINE_RULES if rule.name not in _PRETESTED)
    + _LINE_TAIL,
    re.IGNORECASE,
)
_PRETESTED_RULES = [
    (words, pattern) for name, pattern in _EACH_LINE_RULE if (words := _PRETESTED.get(name))
]
# Every pre-tested rule's words in one search: most lines hold none of them, and one search in
# C answers that for all the rules at once (their words one by one in Python: 0.4 ms a page).
_ANY_PRETEST_WORD = re.compile(
    "|".join(re.escape(word) for words, _ in _PRETESTED_RULES for word in words)
)


def _is_rule_line(line: str) -> bool:
    """`_CHROME_LINE.match(line)`, with the pre-tests."""
    if _UNTESTED_LINE.match(line):
        return True
    folded = _folded_line(line)
    if _ANY_PRETEST_WORD.search(folded) is None:
        return False
    return any(
        any(word in folded for word in words) and pattern.match(line)
        for words, pattern in _PRETESTED_RULES
    )


_MONTHS = (
    r"jan(?:uary|\.)?|feb(?:ruary|\.)?|mar(?:ch|\.)?|apr(?:il|\.)?|may|june?|july?|aug(?:ust|\.)?|"
    r"sep(?:t|tember|\.)?|oct(?:ober|\.)?|nov(?:ember|\.)?|dec(?:ember|\.)?|"
    # German names where they differ from the English ones.
    r"januar|februar|märz|mai|juni|juli|oktober|dezember|"
    # Turkish ("20 Nisan 2026").
    r"ocak|şubat|mart|nisan|mayıs|haziran|temmuz|ağustos|eylül|ekim|kasım|aralık"
)
_DATE_LABEL = (
    r"(?:updated|published|posted|last updated|stand|aktualisiert|veröffentlicht|"
    r"zuletzt aktualisiert|güncelleme|yayınlanma)(?: on| am)?:?"
)
_ONE_DATE = (
    rf"(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+)?"
    rf"(?:(?:{_MONTHS})\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?|\d{{1,2}}\.?\s+(?:{_MONTHS})\.?(?:\s+\d{{4}})?|"
    rf"\d{{1,4}}[./-]\d{{1,2}}[./-]\d{{1,4}}|\d+\s+(?:hours?|minutes?|days?|weeks?)\s+ago)"
    rf"(?:\s*(?:at|um|,|-|–|·)?\s*\d{{1,2}}[:.]\d{{2}}\s*(?:[ap]\.?m\.?|uhr)?(?:\s*[A-Z]{{2,4}})?)?"
)
# A line holding only a date ("- Nov 5", "Sep 22, 2023", "22/09/2023 10:15"), or the date and
# the date of its update ("20 Nisan 2026•Güncelleme: 20 Nisan 2026"): a CMS dateline.
_DATE_LINE = re.compile(
    rf"^\s*[-–•·|]?\s*(?:{_DATE_LABEL}\s*)?{_ONE_DATE}"
    rf"(?:\s*[-–•·|,]?\s*{_DATE_LABEL}\s*{_ONE_DATE})?\s*$",
    re.IGNORECASE,
)


def is_date_line(line: str) -> bool:
    """The line holds a date (and the date of its update) and nothing else. Not a line rule:
    a date line inside an article (a changelog, a timeline) is its text; see
    `scraper.extract.article.without_head_dateline`."""
    return bool(_DATE_LINE.match(line))


# How long the article takes to read, as a theme prints it above the text: "5 min read",
# "- 3 Minuten Lesezeit", "Tempo de leitura: 2 minutos", "Estimated reading time:" (the figure
# drawn by a script), after the byline or the date on the same line ("Jun 08, 2023 • 11 Minute
# Read", "by Jane Doe—10 min read"). Not a line rule: the same words open a sentence or title
# a table's column further down; see `is_reading_time_line`.
_MINUTES = r"\d+(?:\s*[-–]\s*\d+)?\s*(?:min(?:ute)?s?|minuten|minutos?|minuti|minutes)\.?"
_READING_TIME_LABEL = (
    r"(?:estimated\s+)?(?:reading time|read time|time to read|lesezeit|lesedauer|"
    r"temps de lecture|tiempo de lectura|tempo de leitura|tempo di lettura)"
)
_READING_TIME_LINE = re.compile(
    r"^\s*(?:[-–•·*]\s*)?(?:[^.!?\n]{1,60}?\s*(?:[•·|/—–]+|\s-\s)\s*)?"
    rf"(?:{_MINUTES}\s+(?:read(?:ing)?(?: time)?|lesezeit|lesedauer|de lectura|di lettura|"
    rf"de leitura|de lecture)|{_READING_TIME_LABEL}\s*:?\s*(?:(?:ca\.|etwa|about|approx\.?|~)"
    rf"\s*)?(?:{_MINUTES})?)\s*$",
    re.IGNORECASE,
)


def is_reading_time_line(line: str) -> bool:
    """The line states how long the article takes to read, perhaps after its byline or date,
    and nothing else. Only the head of the text is read for it (`scraper.extract.body`)."""
    return bool(_READING_TIME_LINE.match(line))


# A blog theme's entry meta set out as a line of labelled fields: "05/10/2018 - Publicado por:
# Clarissa Borba - Categoria: Saúde - Tags: sad". Two fields at least: one label and its value
# ("Category: Politics") can open a sentence's worth of text.
_POST_META_LABEL = (
    r"(?:(?:posted|published|written|publicado|publié|veröffentlicht)(?:\s+(?:by|por|par|von|in|en))?|"
    r"by|por|par|von|categor(?:y|ies|ia|ias)|catégories?|kategorien?|tags?|etiquetas|"
    r"schlagwörter|filed under|posted in)"
)
_POST_META_FIELD = rf"{_POST_META_LABEL}\s*:\s*(?:(?!\s[-–|•·]\s)[^:|•·\n]){{1,60}}"
_POST_META_LINE = re.compile(
    rf"^\s*(?:{_ONE_DATE}\s*[-–|•·]\s*)?{_POST_META_FIELD}(?:\s*[-–|•·]\s*{_POST_META_FIELD})+\s*$",
    re.IGNORECASE,
)


# A page script's settings read out as list items ("- showPaywall:", "- false"): a camelCase
# key alone, or a bare JSON literal. Case matters here, unlike in the patterns above.
_SCRIPT_SETTING = re.compile(
    r"^\s*(?:[-–•·*]\s*)?(?:[a-z]{2,}(?:[A-Z][a-z]+)+\s*:|true|false|null|undefined)\s*$"
)


# The label over a list that closes an article: its tags ("Tags:", "Etiketler :" on NTV,
# "Schlagwörter") or its sources ("Quellen:" on WDR).
_CLOSING_LIST_LABEL = (
    r"(?:tags?|tagged(?: with)?|topics|related topics|keywords|filed under|schlagwörter|"
    r"stichwörter|themen|etiketler|temas|etiquetas|étiquettes|mots-clés|tópicos|argomenti|"
    r"태그|キーワード|标签|sources|quellen|fuentes|fontes|kaynaklar)"
)
_CLOSING_LIST_LABEL_LINE = re.compile(
    rf"^\s*(?:[-–•·*#]\s*)?{_CLOSING_LIST_LABEL}\s*:?\s*$", re.IGNORECASE
)
_ITEMS_AFTER_LABEL = re.compile(
    rf"^\s*(?:[-–•·*#]\s*)?{_CLOSING_LIST_LABEL}\s*:\s*[^.!?。]{{1,200}}$", re.IGNORECASE
)
# An item of such a list: a few words with no sentence end ("- Haberler -", "- WDR-Interviews").
_LIST_ITEM = re.compile(r"^\s*(?:[-–•·*#]\s*)?[^.!?:。]{1,60}$")


def _is_list_item(line: str) -> bool:
    return bool(_LIST_ITEM.match(line)) and len(line.split()) <= 6


def closing_list_start(lines: list[str]) -> int | None:
    """Where a closing list of tags or sources begins: its label, then only items, to the end.

    Trafilatura keeps the list when the theme writes it as list items inside the article
    ("- Etiketler :", "- Spor", "- Futbol" on NTV). A label must head it: a few short lines
    closing an article can be the last items of a real list.
    """
    for index in range(len(lines) - 1, -1, -1):
        line = lines[index]
        if _CLOSING_LIST_LABEL_LINE.match(line):
            return index if index < len(lines) - 1 else None
        if _ITEMS_AFTER_LABEL.match(line):
            return index
        if not _is_list_item(line):
            return None
    return None


# Rules of their own shape, named as the line rules are.
_SHAPE_RULES = (
    ("post-meta-line", _POST_META_LINE),
    ("script-setting", _SCRIPT_SETTING),
)


def chrome_line_rule(line: str) -> str | None:
    """The name of the rule that reads the whole paragraph as a label, counter, prompt or
    dateline; None when it is prose."""
    stripped = line.strip()
    if not stripped:
        return "empty"
    if len(stripped) > 400:
        return None
    if _is_rule_line(stripped):
        return next(name for name, pattern in _EACH_LINE_RULE if pattern.match(stripped))
    return next((name for name, pattern in _SHAPE_RULES if pattern.match(stripped)), None)


def is_chrome_line(line: str) -> bool:
    """True when the whole paragraph is a label, counter, prompt or dateline, not prose."""
    return chrome_line_rule(line) is not None
