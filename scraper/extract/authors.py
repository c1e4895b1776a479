"""Bylines to person names: split lists, drop roles and prefixes, reject the publisher."""

from __future__ import annotations

import html
import re

from scraper.extract.dates import MONTH_NAMES
from scraper.extract.text import fold
from scraper.extract.trace import note

# "By", "Written by", and the same word in the languages the project has seen; the labels
# that author boxes and archive links put before the name ("Post author By", "View all posts
# by", "Geschrieben von", "Authors"): a closed class of interface wording.
_BY_PREFIX = re.compile(
    r"^\s*(?:(?:written|reported|words|text|story|photos?|edited|posted|post\s+author|"
    r"(?:view\s+)?(?:all\s+)?(?:posts|articles|stories)|more(?:\s+(?:posts|articles|stories))?|"
    r"geschrieben|verfasst|escrito|escrita|scritto|écrit|publié|publicado|pubblicato)\s+)?"
    r"(?:by|von|por|par|di|da|door|av|af|de|przez|от|автор[ы]?:?)\s*[:\-–]?\s+"
    r"|^\s*(?:authors?|autor(?:in|en)?|auteure?s?|autore|autores|auteur|written|"
    r"read\s+more\s+about|more\s+(?:from|about))\s*[:\-–]?\s+",
    re.IGNORECASE,
)
_LIST_SEPARATOR = re.compile(r"\s*[,;|]\s*")
# "And" capitalised in title-case bylines ("Glen Owen And Brendan Carlin"); the one-letter
# conjunctions only in lower case, where a capital is an initial.
_CONJUNCTION = re.compile(r"\s*(?:&|\b(?:[Aa]nd|[Uu]nd|[Ee]t|y|e|og|en|i)\b)\s*")
# "Jane Doe for The Guardian", "Glen Owen And Brendan Carlin For The Mail On Sunday": the
# outlet the names wrote for, after them.
_FOR_OUTLET = re.compile(r"(?P<names>.+?)\s+(?:for|für|pour|para)\s+\S.*", re.IGNORECASE)
# "Jane Doe, Staff Writer" / "Jane Doe - Senior Correspondent": the role is not the name.
# Author boxes set the job title after the name ("Liz Kenny Former McKinsey Consultant",
# "Meghan Neville Content Marketing Coordinator"): job titles and the departments they name,
# a closed class. Cut only after a name of two words or more (see _without_role), so that
# "Edith Head" stays whole.
_ROLE_WORDS = re.compile(
    r"\b(?:staff|senior|chief|correspondent|reporter|writer|editor|columnist|contributor|"
    r"contributing|journalist|photographer|analyst|producer|former|director|coordinator|"
    r"consultant|manager|specialist|co-?founder|founder|head|officer|president|"
    r"attorney|strategist|"
    # A department only before a title: "Content Marketing Coordinator", not "Office of
    # Communications" or "Content Marketing Institute".
    r"(?:(?:content|marketing|communications|operations|sales|product)\s+)+"
    r"(?=(?:coordinator|director|manager|specialist|strategist|officer|lead|head|writer|editor)\b)|"
    r"redakteur(?:in)?|korrespondent(?:in)?|"
    r"redactor[a]?|corresponsal|periodista|rédacteur|journaliste|envoyée?\s+spéciale?)\b",
    re.IGNORECASE,
)
# Two elements' texts run together where the markup put no space between them: "Emily
# WalkerCasey McDevitt", "Matt CheckHead Winemaker". A capital after three or more lower-case
# letters inside a word, with more words after it, starts the next element's text. A last
# word so written is a name or a brand ("Mark SubbaRao", "Team SimplyThrilled"), and
# "McDevitt", "MacKenzie" and "DeShawn" have fewer letters before their capital.
_RUN_TOGETHER = re.compile(r"\b(?!Fitz)[A-Z][a-z]{3,}(?=[A-Z][a-z]+\s+\S)")
# Markup identifiers read as text: "wp-block-co-authors-plus", "page.head.extra.author".
_IDENTIFIER = re.compile(r"\w+(?:-\w+){3,}|[a-z]+(?:\.[a-z]+){3,}")
_MONTH_ALONE = re.compile(rf"(?:{MONTH_NAMES})", re.IGNORECASE)
# Korean, Japanese and Chinese bylines put the role after the name: "신현주 기자", "山田太郎記者".
_TRAILING_CJK_ROLE = re.compile(
    r"\s*(?:선임기자|수습기자|기자|특파원|논설위원|편집위원|記者|记者|特派員|特派员|編集委員|論説委員)$"
)
# Digits inside a word are part of a name ("BR24 Redaktion"); free-standing ones are a date line.
_NOT_A_NAME = re.compile(r"https?://|www\.|@|:|\b\d{2,}|^\W+$")
# "(Image: Getty Images)" in a meta author list is a photo credit, not a byline.
_PARENTHESISED = re.compile(r"\([^)]*\)?")
_UPDATED = re.compile(r"\b(?:updated|published|posted|last\s+modified)\b", re.IGNORECASE)


def is_publisher(name: str, publishers: list[str] | tuple[str, ...]) -> bool:
    """The name is the site's or publisher's own ("FOCUS online", "ndr.de"), not a person's."""
    key = fold(name)
    keys = {fold(p) for p in publishers if p and fold(p)}
    keys |= {k.replace(" ", "") for k in keys}
    if not key:
        return False
    if key in keys or key.replace(" ", "") in keys:
        return True
    # A regional edition or a newsroom account named after the domain: "MDR Thüringen" on
    # mdr.de, "Ilanga D" on ilanganews.co.za.
    first, words = key.split()[0], len(key.split())
    labels = {p.replace("-", "") for p in publishers if _DOMAIN_LABEL.fullmatch(p)}
    if len(first) >= 3 and words <= 3 and any(label.startswith(first) for label in labels):
        return True
    # The outlet's full name behind a short domain: "Deutsche Welle" on dw.com (its
    # initials), "Lesotho Times" on lestimes.com (its last word, after its first letters).
    parts = key.split()
    if len(parts) < 2:
        return False
    initials = "".join(w[0] for w in parts)
    return any(
        label == initials
        or (
            len(parts[-1]) >= _MIN_NAME_IN_DOMAIN
            and label.endswith(parts[-1])
            and label[0] == parts[0][0]
            and len(label) > len(parts[-1])
        )
        for label in labels
    )


# A shorter last word ("News", "Post") ends too many domains to name the outlet by itself.
_MIN_NAME_IN_DOMAIN = 4
# The first label of the page's host, as the metadata stage lists it among the publishers.
_DOMAIN_LABEL = re.compile(r"[a-z0-9][a-z0-9-]*")


def _is_mark(item: str) -> bool:
    """An editor's or author's letters: "sep", "ssi"."""
    return len(item) <= 4 and item.islower()


def is_weak_credit(name: str, publishers: list[str] | tuple[str, ...]) -> bool:
    """A credit that names no person: the publisher itself, or lower-case initials ("amw").

    Pages credit these when they have nothing better, so they are kept only when no source
    on the page names a person.
    """
    return is_publisher(name, publishers) or _is_mark(name)


def natural_case(name: str) -> str:
    """ALL-CAPS bylines in natural case: "TYLER KEPNER" -> "Tyler Kepner", "O'NEIL" -> "O'Neil"."""
    letters = [c for c in name if c.isalpha()]
    if not letters or not all(c.isupper() for c in letters):
        return name
    # A short all-capitals credit is an acronym: "AP", "AFP", "dpa" stays as written.
    if " " not in name and len(letters) <= 4:
        return name

    def word(w: str) -> str:
        parts = re.split(r"(['’\-])", w.lower())
        return "".join(p[:1].upper() + p[1:] if p not in "'’-" else p for p in parts)

    return " ".join(word(w) for w in name.split())


def strip_byline_prefix(text: str) -> tuple[str, bool]:
    """Remove a leading "By" (in several languages). Returns (rest, had_prefix)."""
    match = _BY_PREFIX.match(text)
    if match:
        return text[match.end() :], True
    return text, False


def split_names(text: str) -> list[str]:
    """Split "A, B and C" into names; a part after " / " (an agency or outlet) or a dot
    (" ⋅ Review", the page's kind) is dropped.

    "and" splits only between multi-word names: "Le Figaro et AFP" is one credit.
    """
    text = re.split(r"\s+[/|⋅·•]\s+|\s+[-–—]\s+", text, maxsplit=1)[0]
    written_for = _FOR_OUTLET.fullmatch(text)
    if written_for and len(written_for["names"].split()) >= 2:
        text = written_for["names"]
    names: list[str] = []
    for item in _LIST_SEPARATOR.split(text):
        item = item.strip(" .,:;-–—\t")
        if not item:
            continue
        parts = [p.strip(" .,:;-–—\t") for p in _CONJUNCTION.split(item)]
        parts = [p for p in parts if p]
        if len(parts) > 1 and all(len(p.split()) >= 2 for p in parts):
            names.extend(parts)
        else:
            names.append(item)
    return names


def is_plausible_name(name: str) -> bool:
    """A person or credit name: short, no URLs, not a date line, not a sentence."""
    words = name.split()
    return (
        0 < len(words) <= 6
        and len(name) <= 60
        and not _NOT_A_NAME.search(name)
        and not _UPDATED.search(name)
        and not name.endswith((".", "?", "!"))
        # Lower-case words are a phrase ("israel news"); a person's name is capitalised.
        and not (len(words) >= 2 and name.islower())
    )


# The date a byline runs into when its name and date share a line: "Dakota Hebert July 3".
_TRAILING_DATE = re.compile(
    rf"\s+(?:{MONTH_NAMES})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?$", re.IGNORECASE
)


def _before_run_together(part: str) -> str:
    """A full name up to where another element's text runs into it ("Emily WalkerCasey
    McDevitt" -> "Emily Walker"); a part whose name would be one word stays whole."""
    match = _RUN_TOGETHER.search(part)
    if match is None or len(part[: match.end()].split()) < 2:
        return part
    return part[: match.end()]


def _without_role(part: str, publishers: list[str] | tuple[str, ...]) -> str:
    """ "Jane Doe Staff Writer" -> "Jane Doe"; a staff credit ("MND Staff", "Guardian staff
    reporter") stays whole, since what is left of it would be the publisher, not a person."""
    if not _ROLE_WORDS.search(part):
        return part
    name = _ROLE_WORDS.split(part)[0].strip(" ,-–—")
    # "<Outlet> Staff" is the newsroom's credit; a person's role is "Staff Writer".
    if part[len(name) :].strip(" ,-–—").casefold() == "staff":
        return part
    if len(name.split()) < 2 or is_publisher(name, publishers):
        return part if name else ""
    return name


# "Текст Лида Буслаева", "Texto: Ana Ruiz", "Quelle: sid": the label of the text's credit or
# source, before the name.
_TEXT_LABEL = re.compile(
    r"^\s*(?:текст|text|texto|tekst|testo|texte|quelle|source|fuente|fonte|bron)\s*:?\s+",
    re.IGNORECASE,
)


def _without_outlet_after_capitals(part: str) -> str:
    """ "ERIC TUCKER Associated Press" -> "ERIC TUCKER": wire bylines set the name in capitals
    and the agency after it in normal case."""
    words = part.split()
    caps = 0
    for word in words:
        letters = [c for c in word if c.isalpha()]
        if not letters or not all(c.isupper() for c in letters) or len(letters) < 2:
            break
        caps += 1
    if caps >= 2 and len(words) > caps:
        return " ".join(words[:caps])
    return part


def _word_set(words: str) -> frozenset[str]:
    """A closed class of words, written as text."""
    return frozenset(words.split())


# Credits that name nobody, whatever the markup around them says: the interface's own words
# (an author box's "Folgen" follow button, "Written By" without its name, "About the Author"),
# the social networks its links lead to and a CMS's default account ("admin"). Closed
# classes, in the languages met.
_INTERFACE_WORDS = _word_set(
    """
    follow folgen suivre seguir segui volgen share teilen partager compartir subscribe
    abonnieren contact kontakt profile profil author authors autor autorin auteur autore bio
    biography written posted by von par por about more mehr plus más view read all posts
    article articles artikel name email e-mail website homepage link links menu home index
    blog related topics tags comments comment reply print save pin later facebook twitter x
    instagram linkedin youtube tiktok threads bluesky mastodon pinterest reddit whatsapp
    telegram xing rss admin administrator webmaster
    """
)
# Words that do not occur inside a person's or an organisation's name: prepositions and
# pronouns ("Pin For Later", "Contacting Us"). Articles and name particles ("The Upwork Team",
# "Ludwig van Beethoven", "Die Redaktion von …") are not among them.
_FUNCTION_WORDS = _word_set(
    """
    for to in at with about from into us we you me it this that here now für mit über uns
    hier pour avec sur nous ici para con sobre aquí noi qui voor met ons
    """
)


def is_interface_credit(name: str) -> bool:
    """A credit made of the page's interface words or prepositions, not of a name: "Folgen",
    "Twitter", "Written By", "About the Author", "Pin For Later", "1"."""
    if not any(c.isalpha() for c in name):
        return True
    words = [w.strip(".,:;!?'\"()[]") for w in name.casefold().split()]
    if all(w in _INTERFACE_WORDS or w in _FUNCTION_WORDS or w in _ARTICLES for w in words):
        return True
    return any(w in _FUNCTION_WORDS for w in words)


# Degrees and licences written after a name ("Dylan Bailey, MS, RD, FAND"): letters after a
# person, not more persons. A closed class; agencies set the same way ("Adam Vidler, AP")
# are credits and stay.
_POSTNOMINALS = _word_set(
    """
    md phd dphil ms msc ma ba bsc bs mba mph mpa rd rdn ldn rn bsn msn np pa dnp dvm vmd lvt
    vts dacvb fand faclm facp facs frcp cfp cpa cfa jd llm esq do dds dmd lcsw lmft lpc psyd
    edd pharmd dpt cscs cpp psp cissp pmp ibclc cns
    """
)


def _is_postnominal(part: str) -> bool:
    return re.sub(r"[.\s®]", "", part).casefold() in _POSTNOMINALS


_ARTICLES = frozenset({"the", "a", "der", "die", "das", "le", "la", "les", "el", "los", "il"})


def clean_author_names(
    raw: list[str], publishers: list[str] | tuple[str, ...] = (), keep_publishers: bool = False
) -> list[str]:
    """Clean candidate author strings into names; publisher names dropped unless asked for."""
    names: list[str] = []
    seen: set[str] = set()
    for item in raw:
        # Names from JSON-LD and meta tags may be HTML-escaped ("Maria &amp; Katerina").
        item = _PARENTHESISED.sub(" ", html.unescape(item))
        item, _ = strip_byline_prefix(" ".join(item.split()))
        item = _TEXT_LABEL.sub("", item)
        for position, part in enumerate(split_names(item)):
            if position and _is_postnominal(part):
                continue
            if _IDENTIFIER.search(part) or _MONTH_ALONE.fullmatch(part):
                note("authors", "not-a-name", "rejected", part)
                continue
            part = _TRAILING_DATE.sub("", _without_outlet_after_capitals(part)).rstrip(" •·|")
            part = _without_role(_TRAILING_CJK_ROLE.sub("", part) or part, publishers)
            part = _before_run_together(part)
            if not part or not is_plausible_name(part):
                continue
            if is_interface_credit(part):
                note("authors", "interface-credit", "rejected", part)
                continue
            key = fold(part)
            if not key or key in seen:
                continue
            if not keep_publishers and is_publisher(part, publishers):
                continue
            seen.add(key)
            names.append(natural_case(part))
    return names


# Lower-case words inside a name ("Vincent van Gogh", "Ahmed bin Salman").
_BYLINE_PARTICLES = frozenset({"de", "van", "von", "da", "del", "la", "le", "bin", "al"})


def parse_byline(line: str) -> list[str] | None:
    """Names from a text line that is a byline ("By A, B and C"), or None if it is not one."""
    line = " ".join(line.split())
    if not line or len(line) > 120:
        return None
    rest, had_prefix = strip_byline_prefix(line)
    if not had_prefix or not rest:
        return None
    parts = split_names(rest)
    if not parts or not all(is_plausible_name(p) for p in parts):
        return None
    # A byline's names are capitalised words; a sentence starting with "By" is not a byline.
    for part in parts:
        words = [w for w in part.split() if w[:1].isalpha()]
        lower_words = [w for w in words if w[:1].islower() and w not in _BYLINE_PARTICLES]
        if not words or len(lower_words) > 0:
            return None
    return [natural_case(p) for p in parts]


# A credit line closing an article: "Lê Phương", "MDR (Engin Haupt, Alisa Sonntag)",
# "Ярослав Кузишин, Антон Зелинский", "SDA/sep", "IN-Redaktion".
_SIGNATURE_SEPARATOR = re.compile(r"\s*(?:[,;/&]|\b(?:und|and|et|y|og|и)\b)\s*")
_NAME_PARTICLES = _BYLINE_PARTICLES | {"di", "du", "der"}
_MAX_SIGNATURE_CHARS = 80


def _is_signature_name(item: str) -> bool:
    words = item.split()
    return 0 < len(words) <= 4 and all(
        w[:1].isupper() or w.casefold() in _NAME_PARTICLES for w in words
    )


# "ssi, dan; Foto [M]: Shutterstock; Erstveröffentlichung: 4.4.18": after the authors'
# marks, labelled credits of the picture and the first publication, set off by semicolons.
_PICTURE_LABELS = r"fotos?|photos?|bild(?:er)?|images?|illustrations?|grafik"
_LABELLED_CREDIT = re.compile(
    rf"(?:{_PICTURE_LABELS}|erstveröffentlichung|first published|quelle|source)\b"
    r"[^:;]{0,12}:\s*\S[^;]*",
    re.IGNORECASE,
)
_PICTURE_CREDIT = re.compile(rf"(?:{_PICTURE_LABELS})\b", re.IGNORECASE)


def parse_signature(line: str) -> list[str] | None:
    """Names from a line that only credits the authors, or None if it says anything else."""
    line = " ".join(line.split())
    if not line or len(line) > _MAX_SIGNATURE_CHARS:
        return None
    credits: list[str] = []
    if ";" in line:
        head, *rest = [part.strip() for part in line.split(";")]
        if all(_LABELLED_CREDIT.fullmatch(p) for p in rest) and any(
            _PICTURE_CREDIT.match(p) for p in rest
        ):
            line, credits = head, rest
    if not line or any(c.isdigit() for c in line):
        return None
    if line.endswith((".", "!", "?", ":", ";", ",", "»", '"', "”")):
        return None
    # "Contributing: Kristine Phillips", "Fotos: dpa": a labelled credit line, part of the
    # article's text (other contributors, the pictures), not its authors' signature.
    if ":" in line:
        return None
    outlet = re.fullmatch(r"([^()]{1,40}?)\s*\(([^()]+)\)", line)
    if outlet:
        if not _is_signature_name(outlet.group(1)):
            return None
        line = outlet.group(2)
    items = [i for i in _SIGNATURE_SEPARATOR.split(line) if i]
    # Lower-case initials after an agency ("SDA/sep") are the editor's mark, not a name.
    names = [i for i in items if not _is_mark(i)]
    # Only marks (letters), with the picture's credit beside them: the marks are the authors'
    # (they are all the page says of who wrote it).
    if not names and credits and all(i.isalpha() for i in items):
        return items
    if not names or not all(_is_signature_name(n) for n in names):
        return None
    # One capitalised word alone ("Ende", "Fazit") is a label; a name has two parts, or the
    # line lists several credits, or joins them with a hyphen ("IN-Redaktion").
    if len(items) < 2 and len(names[0].split()) < 2 and "-" not in names[0]:
        return None
    return names
