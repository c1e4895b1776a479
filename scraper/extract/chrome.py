"""Page chrome that generic extraction leaves in the text, matched as whole lines only.

Every pattern here must match an entire paragraph: "Share" as a line is a button label,
"share" inside a sentence is English. Each group names the kind of page that needed it.
"""

from __future__ import annotations

import re

_WHOLE_LINE_PATTERNS = [
    # Wix and other site builders: skip links, avatar labels, counters, like buttons.
    r"(?:top|bottom) of (?:the )?page",
    r"skip to (?:main )?content",
    r"writer'?s picture.*",
    r"(?:post (?:not )?marked as liked|like|liked|unlike)\s*\d*",
    r"(?:\d[\d.,]*[kKmM]?\s*(?:views?|comments?|likes?|shares?|reads?)\s*)+",
    r"[-–•·]?\s*(?:updated:?\s*)?\d+\s*(?:min(?:ute)?s?|m)\.?\s*(?:read|reading time|de lectura|lesezeit|Lesedauer)",
    r"(?:lesezeit|lesedauer|reading time|tiempo de lectura):?\s*\d+\s*(?:min(?:uten|utos|utes)?)?\.?",
    r"recent posts|see all|view all|show more|load more|more posts|related posts",
    r"log ?in(?: to (?:comment|like|reply).*)?|sign ?in|sign ?up|register|log ?out",
    r"write a comment\.{0,3}|comments?|leave a (?:comment|reply)|\d+ comments?|no comments(?: yet)?",
    r"(?:share|share (?:this|on|via)\b.*|compartir|teilen|partager|tweet|email|print|copy link|"
    r"facebook|twitter|x|whatsapp|linkedin|pinterest|reddit|telegram)",
    # Newsletter, subscription and cookie prompts.
    r"(?:sign up|subscribe)(?: (?:for|to) (?:our|the)? ?(?:free )?(?:daily |weekly )?newsletters?)?[.!]?",
    r"(?:subscribe|sign up) (?:now|today|here)[.!]?",
    r"(?:thanks|thank you) for (?:subscribing|signing up)!?",
    r"(?:enter your|your) e-?mail(?: address)?\.{0,3}",
    r"(?:we|this (?:web)?site|our site) uses? cookies\b.{0,300}",
    r"(?:accept|reject|allow|manage)(?: all)? cookies|cookie (?:settings|preferences|policy)",
    r"(?:advertisement|advertising|anzeige|publicidad|publicité|werbung|sponsored|ad)",
    # "Read more" style cross-links standing alone.
    r"(?:read more|read next|also read|see also|lea también|lee también|weiterlesen|mehr zum thema|"
    r"lire aussi|à lire aussi|related(?: (?:articles?|stories|coverage|content))?)[:.…]?",
    r"(?:follow us on|find us on) .{0,60}",
    r"(?:photo|image|foto|bild|credit)s?:\s*.{0,80}",
    r"(?:©|\(c\)|copyright)\s*.{0,120}",
    r"all rights reserved\.?",
]
_CHROME_LINE = re.compile(
    r"^\s*[-–•·*]?\s*(?:" + "|".join(f"(?:{p})" for p in _WHOLE_LINE_PATTERNS) + r")\s*$",
    re.IGNORECASE,
)

_MONTHS = (
    r"jan(?:uary|\.)?|feb(?:ruary|\.)?|mar(?:ch|\.)?|apr(?:il|\.)?|may|june?|july?|aug(?:ust|\.)?|"
    r"sep(?:t|tember|\.)?|oct(?:ober|\.)?|nov(?:ember|\.)?|dec(?:ember|\.)?"
)
# A line holding only a date ("- Nov 5", "Sep 22, 2023", "22/09/2023 10:15"): a CMS dateline.
_DATE_LINE = re.compile(
    rf"^\s*[-–•·|]?\s*(?:(?:updated|published|posted|last updated)(?: on)?:?\s*)?"
    rf"(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+)?"
    rf"(?:(?:{_MONTHS})\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?|\d{{1,2}}\.?\s+(?:{_MONTHS})\.?(?:\s+\d{{4}})?|"
    rf"\d{{1,4}}[./-]\d{{1,2}}[./-]\d{{1,4}}|\d+\s+(?:hours?|minutes?|days?|weeks?)\s+ago)"
    rf"(?:\s*(?:at|,|-|–|·)?\s*\d{{1,2}}[:.]\d{{2}}\s*(?:[ap]\.?m\.?)?(?:\s*[A-Z]{{2,4}})?)?\s*$",
    re.IGNORECASE,
)


def is_chrome_line(line: str) -> bool:
    """True when the whole paragraph is a label, counter, prompt or dateline, not prose."""
    stripped = line.strip()
    if not stripped:
        return True
    if len(stripped) > 400:
        return False
    return bool(_CHROME_LINE.match(stripped) or _DATE_LINE.match(stripped))
