"""A generated test set for near-duplicate detection: wire stories, their syndicated copies,
and distinct articles about the same events.

Each *event* (a fire, a council vote, a court ruling, ...) has facts: a place, named
officials and witnesses, an organisation, numbers, a weekday, and what people said. From it:

- one *wire story*, written with the wire's phrasing;
- its *syndicated copies* on other sites, each changed the ways papers change wire copy:
  page chrome left in the text (share prompts, newsletter boxes, copyright lines), the
  paper's own headline on top, the ending trimmed, an editor's note added, paragraphs merged
  or split, copy edits (says for said, spelled-out numbers, house spellings), a local
  paragraph added;
- *distinct articles about the same event*, written by other reporters with their own
  phrasing, but with the same names, places and numbers and the same quotes word for word
  (everyone quotes the official statement): copies of the same story must be recognised,
  these must not be merged with it. Some of them are syndicated in turn.

Sentences come from small grammars with many interchangeable words, so two different
stories share the stock phrases real news shares ("said in a statement") and little else.
Everything is determined by the seed.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

from scraper.record import normalised_words, text_fingerprint

# --- Vocabulary --------------------------------------------------------------------------


def _names(text: str) -> tuple[str, ...]:
    return tuple(name.strip() for name in text.split(","))


FIRST_NAMES = _names(
    "Maria, Carmen, Luis, Jose, Ana, Rosa, Daniel, Elena, Marcus, Priya, Wei, Fatima, Olga, "
    "Tom, Grace, Samuel, Aisha, Victor, Helen, Diego, Nadia, Peter, Laura, Kofi, Ingrid, "
    "Rafael, Mei, Omar, Julia, Henry, Lucia, Andre, Sofia, Ravi, Clara, Miguel, Irene, Paolo, "
    "Zainab, Erik, Noor, Hannah, Felipe"
)
LAST_NAMES = _names(
    "Rivera, Ortiz, Colon, Santiago, Morales, Chen, Okafor, Novak, Lindqvist, Haddad, "
    "Kowalski, Brennan, Delgado, Ferreira, Nakamura, Petrov, Mensah, Alvarez, Whitaker, "
    "Castillo, Romero, Baptiste, Gallagher, Moreau, Schultz, Quinones, Iyer, Marsh, Toledo, "
    "Vance, Acevedo, Duarte, Holm, Reyes"
)
PLACES = _names(
    "Bayport, Millbrook, Carolina, Ponce, Fajardo, Harlow, Westfield, Riverton, Oak Harbor, "
    "Salinas, Brookhaven, Dunmore, Eastlake, Glenwood, Kingsbridge, Lakemont, Marston, "
    "Northgate, Pinecrest, Redfield, Stonebridge, Thornton, Vega Alta, Willowdale, Ashford, "
    "Cedar Falls, Fairhaven, Greenport, Hillcrest, Ironwood"
)
REGIONS = (
    "Harbor County",
    "the northern district",
    "Lake County",
    "the eastern region",
    "Coastal County",
    "the valley",
    "Monroe County",
    "the island's south coast",
)
STREETS = _names(
    "Harbor Street, Main Street, Calle Luna, Ocean Drive, Mill Road, Church Avenue, "
    "Station Road, Elm Street, Bay Boulevard, Ridge Road, Market Street, Calle Sol, "
    "Park Avenue, Canal Street"
)
WEEKDAYS = _names("Monday, Tuesday, Wednesday, Thursday, Friday, Saturday, Sunday")

# What happened, by kind of event: a noun for it, how it began, what it did, the agency.
EVENTS: dict[str, dict[str, tuple[str, ...]]] = {
    "fire": {
        "noun": ("fire", "blaze", "two-alarm fire", "warehouse fire"),
        "began": ("broke out", "started", "was reported", "erupted"),
        "harm": ("destroyed", "gutted", "badly damaged", "tore through"),
        "site": ("a warehouse", "an apartment building", "a furniture store", "a bakery"),
        "agency": ("Fire Department", "Fire Rescue", "fire service"),
        "count": ("residents displaced", "firefighters", "people evacuated"),
    },
    "flood": {
        "noun": ("flooding", "flash flood", "floodwater", "heavy flooding"),
        "began": ("hit", "swept through", "inundated", "struck"),
        "harm": ("swamped", "closed", "cut off", "damaged"),
        "site": ("low-lying streets", "the riverside district", "two schools", "a highway"),
        "agency": ("Emergency Management Office", "Public Works Department", "Civil Defense"),
        "count": ("homes flooded", "families relocated", "roads closed"),
    },
    "council": {
        "noun": ("vote", "council decision", "budget vote", "ordinance"),
        "began": ("was approved", "passed", "was adopted", "cleared the council"),
        "harm": ("funds", "expands", "cuts", "restructures"),
        "site": ("the bus network", "the public library system", "street repairs", "parks"),
        "agency": ("City Council", "Municipal Assembly", "Board of Aldermen"),
        "count": ("council members in favor", "residents who spoke", "jobs affected"),
    },
    "court": {
        "noun": ("ruling", "court decision", "verdict", "judgment"),
        "began": ("was handed down", "came", "was issued", "was announced"),
        "harm": ("blocks", "upholds", "overturns", "suspends"),
        "site": ("a zoning plan", "the port contract", "a land sale", "the toll increase"),
        "agency": ("Superior Court", "District Court", "Court of Appeals"),
        "count": ("plaintiffs", "pages in the ruling", "days to appeal"),
    },
    "business": {
        "noun": ("layoffs", "plant closure", "expansion", "merger"),
        "began": ("was announced", "was confirmed", "was disclosed", "became public"),
        "harm": ("affects", "eliminates", "creates", "moves"),
        "site": ("the packaging plant", "the call center", "the regional office", "the mill"),
        "agency": ("Chamber of Commerce", "Economic Development Office", "Labor Department"),
        "count": ("workers", "jobs", "employees"),
    },
    "storm": {
        "noun": ("storm", "nor'easter", "tropical storm", "windstorm"),
        "began": ("knocked out power", "made landfall", "swept in", "battered the coast"),
        "harm": ("toppled", "flooded", "damaged", "closed"),
        "site": ("power lines", "the marina", "coastal roads", "the ferry terminal"),
        "agency": ("Power Authority", "Emergency Management Agency", "utility"),
        "count": ("customers without power", "trees down", "flights canceled"),
    },
    "transit": {
        "noun": ("ferry suspension", "bus route change", "rail closure", "service cut"),
        "began": ("took effect", "was announced", "began", "was ordered"),
        "harm": ("disrupts", "delays", "reroutes", "halts"),
        "site": ("the morning commute", "ferry service", "the airport line", "school routes"),
        "agency": ("Transit Authority", "Ports Authority", "Transportation Department"),
        "count": ("daily riders", "trips canceled", "buses added"),
    },
}

OFFICIAL_TITLES = (
    "Mayor",
    "Chief",
    "spokeswoman",
    "spokesman",
    "Director",
    "Commissioner",
    "Councilwoman",
    "Councilman",
)
WITNESS_ROLES = (
    "a resident",
    "a shop owner",
    "a nurse who lives nearby",
    "a retired teacher",
    "a bus driver",
    "a student",
    "a fisherman",
    "a restaurant manager",
)

# Quote grammar: what officials and witnesses say (shared verbatim across outlets).
QUOTE_OPENERS = (
    "We are doing everything we can",
    "Our first priority is the safety of every family",
    "This is a difficult day for our community",
    "Nobody expected it to happen this fast",
    "I have lived here for thirty years and never seen anything like it",
    "We knew the risks and we planned for them",
    "The people of {place} deserve answers",
    "I want to thank the crews who worked through the night",
    "It was chaos for about an hour",
    "We will not rest until this is resolved",
)
QUOTE_MIDDLES = (
    "and we will keep residents informed as the situation changes",
    "but it will take weeks before things are back to normal",
    "because the damage is worse than the first reports suggested",
    "and the review will look at every decision that was made",
    "so families should follow the instructions of the emergency crews",
    "and we are asking for patience while the investigation continues",
    "even though some of the neighbors lost almost everything",
    "and the funding has already been set aside for the repairs",
)
QUOTE_ENDINGS = (
    "That is a promise.",
    "We owe them that much.",
    "It could have been much worse.",
    "I am proud of how people responded.",
    "There will be consequences if mistakes were made.",
    "We are not out of the woods yet.",
    "Everyone pulled together.",
    "The next few days will tell.",
)

# The wire's phrasing and the local reporters' phrasing draw on different stock phrases.
WIRE_STYLE: dict[str, tuple[str, ...]] = {
    "lead": (
        "A {noun} {began} {when} in {place}, {region}, and {harm} {site}, officials said.",
        "{Place} officials said a {noun} {began} {when} and {harm} {site} in the {region_short} town.",
        "Authorities in {place} said {site} was {harm_passive} after a {noun} {began} {when}.",
    ),
    "count": (
        "The {agency_full} said {n1} {count} were reported by late {day}.",
        "According to the {agency_full}, the tally stood at {n1} {count} on {day}.",
        "A preliminary count by the {agency_full} put the number of {count} at {n1}.",
    ),
    "quote_intro": (
        '"{quote}" {official} said in a statement.',
        '"{quote}" {official} told reporters at a briefing.',
        '"{quote}" said {official}, who visited the scene on {day}.',
    ),
    "witness": (
        '{witness_name}, {witness_role}, said: "{quote}"',
        '"{quote}" said {witness_name}, {witness_role}.',
    ),
    "money": (
        "Early estimates put the cost at about ${n2} million, the {agency_short} said.",
        "Officials estimated the damage at roughly ${n2} million.",
        "The {agency_short} said repairs could cost ${n2} million or more.",
    ),
    "next": (
        "An investigation into the cause was under way, the {agency_short} said.",
        "Officials said a full report would be released within {n3} days.",
        "The {agency_short} said it would hold a public meeting next week.",
    ),
    "history": (
        "The last comparable {noun} in {place} was in {year}, when {n4} {count} were recorded.",
        "{Place} has faced similar problems before, most recently in {year}.",
        "Records show the area was hit in {year}, though with fewer {count}.",
    ),
}
LOCAL_STYLE: dict[str, tuple[str, ...]] = {
    "lead": (
        "Residents of {place} woke up {when_local} to news of a {noun} that {harm} {site}.",
        "For the second time in a decade, {place} is counting the cost of a {noun}.",
        "It took only minutes on {day} for a {noun} to upend life near {street} in {place}.",
    ),
    "count": (
        "By our count, drawing on figures from the {agency_short}, there are {n1} {count}.",
        "The number that matters most to neighbors is {n1}: that is how many {count} there are.",
        "{n1} {count}, the {agency_short} confirmed when this newspaper asked on {day}.",
    ),
    "quote_intro": (
        'Asked about the response, {official} repeated the statement issued earlier: "{quote}"',
        'In remarks broadcast on local radio, {official} said: "{quote}"',
        '{official} put it this way at {day}\'s news conference: "{quote}"',
    ),
    "witness": (
        'Standing outside her home on {street}, {witness_name} told us: "{quote}"',
        'Down the block, {witness_name}, {witness_role}, was blunt. "{quote}"',
    ),
    "money": (
        "The price tag, some ${n2} million by the {agency_short}'s reckoning, will fall largely on taxpayers.",
        "Who pays the ${n2} million bill remains an open question in {place}.",
        "Budget watchers note that ${n2} million is more than the town spends on parks in a year.",
    ),
    "next": (
        "Neighbors plan to press the {agency_short} for answers at a meeting next week.",
        "What happens next depends on a report promised within {n3} days.",
        "Several residents said they would attend the {agency_short}'s public hearing.",
    ),
    "history": (
        "Longtime residents still remember {year}, when the town went through something similar.",
        "This is not {place}'s first brush with a {noun}; older residents point to {year}.",
        "In {year}, a similar episode left {n4} {count}, according to archives at the library.",
    ),
}

# Free-running background sentences, built from short parts (at most three words each) so
# that a 5-word shingle spans at least two random choices: two articles share a shingle by
# chance about as rarely as two reporters write the same clause.
BG_OPENERS = _names(
    "Last year, Since then, For years, Even before, By most accounts, At the time, Until now, "
    "Over the summer, Back in spring, Some say, Records show, In recent months, Since the, "
    "Before that, Privately, Publicly, On paper, In practice"
)
BG_SUBJECTS = _names(
    "neighbors, shop owners, lawmakers, the district, volunteers, engineers, tenants, planners, "
    "adjusters, union leaders, activists, administrators, farmers, port operators, landlords, "
    "commuters, teachers, inspectors, auditors, retirees, fishermen, developers, parents, "
    "clinic staff"
)
BG_VERBS = _names(
    "warned about, studied, questioned, pushed for, lobbied against, surveyed, complained about, "
    "paid for, criticized, petitioned over, debated, ignored, praised, sued over, mapped, "
    "documented, protested, budgeted for, tracked, disputed, reviewed"
)
BG_OBJECTS = _names(
    "old pipes, missed inspections, repair delays, response times, premiums, rents, the seawall, "
    "evacuation routes, building codes, dispatch staffing, grant rules, highway traffic, "
    "school buses, the reservoir, zoning maps, street lights, bridge joints, power lines, "
    "storm drains, parking fees, ferry schedules, clinic hours"
)
BG_TAILS = _names(
    "with little result, to no avail, more than once, in public, behind closed doors, "
    "without agreement, for months, at length, in writing, again and again, on social media, "
    "in court filings, at town hall, in letters, at every meeting, with some success, "
    "since the spring, under pressure"
)
BG_LINKS = _names("and, while, but, as, although, because, after, before, so, yet")


CHROME_TOP = (
    "Advertisement",
    "Share this article",
    "Listen to this article",
    "Skip to main content",
    "Breaking News",
)
CHROME_BOTTOM = (
    "Sign up for our morning newsletter to get the day's top stories.",
    "Copyright {year} The Associated Press. All rights reserved.",
    "This article originally appeared in The New York Times.",
    "Share this: Facebook Twitter Email Print",
    "Related coverage: Read more local news on our website.",
    "Have a news tip? Email our newsroom.",
    "Comments are closed.",
)
EDITOR_NOTES = (
    "Editor's note: This story has been updated with additional comments from officials.",
    "Editor's note: An earlier version of this story misstated the day of the meeting.",
    "Editor's note: This article is part of our partnership with a national news service.",
    "Editor's note: Some details in this report could not be independently verified.",
)
LOCAL_ADDITIONS = (
    "Locally, {paper} readers in the area can find shelter information on the county website.",
    "In our own coverage area, officials said no similar problems had been reported so far.",
    "Closer to home, the regional emergency office said it was monitoring the situation.",
)
COPY_EDITS = (
    (" said ", " says "),
    (" percent", " per cent"),
    (" center", " centre"),
    (" neighbors", " neighbours"),
    (" about ", " roughly "),
    (" officials ", " authorities "),
    (" on Monday", " Monday"),
    (" was ", " had been "),
)
NUMBER_WORDS = {
    "2": "two",
    "3": "three",
    "4": "four",
    "5": "five",
    "6": "six",
    "7": "seven",
    "8": "eight",
    "9": "nine",
}


# --- The test set ------------------------------------------------------------------------


@dataclass
class Document:
    """One generated article: where it appeared, its text, and the truth about it."""

    url: str
    text: str
    story: str  # copies of one story share this
    event: str  # distinct stories about one event share this
    kind: str  # "wire", "copy", "distinct", "distinct-copy"
    edits: list[str] = field(default_factory=list)

    def record(self) -> dict[str, Any]:
        """The document as an article record (the fields deduplication reads)."""
        return {
            "url": self.url,
            "canonical_url": self.url,
            "text": self.text,
            "word_count": len(normalised_words(self.text)),
            "fingerprint": text_fingerprint(self.text),
        }


@dataclass
class _Event:
    key: str
    kind: str
    facts: dict[str, str]
    quotes: list[str]
    template_offsets: dict[str, int]


def _pick(rng: random.Random, options: tuple[str, ...] | list[str]) -> str:
    return options[rng.randrange(len(options))]


def _person(rng: random.Random) -> str:
    return f"{_pick(rng, FIRST_NAMES)} {_pick(rng, LAST_NAMES)}"


def _quote(rng: random.Random, place: str) -> str:
    opener = _pick(rng, QUOTE_OPENERS).format(place=place)
    return f"{opener}, {_pick(rng, QUOTE_MIDDLES)}. {_pick(rng, QUOTE_ENDINGS)}"


def _event(rng: random.Random, key: str) -> _Event:
    kind = _pick(rng, tuple(EVENTS))
    vocab = EVENTS[kind]
    place = _pick(rng, PLACES)
    agency_short = _pick(rng, vocab["agency"])
    harm = _pick(rng, vocab["harm"])
    facts = {
        "place": place,
        "Place": place,
        "region": _pick(rng, REGIONS),
        "region_short": _pick(rng, ("coastal", "rural", "suburban", "northern", "harbor")),
        "street": _pick(rng, STREETS),
        "noun": _pick(rng, vocab["noun"]),
        "began": _pick(rng, vocab["began"]),
        "harm": harm,
        "harm_passive": harm if harm.endswith("ed") else f"hit by what {harm} it",
        "site": _pick(rng, vocab["site"]),
        "count": _pick(rng, vocab["count"]),
        "agency_short": f"{place} {agency_short}",
        "agency_full": f"{place} {agency_short}",
        "day": _pick(rng, WEEKDAYS),
        "official": f"{_pick(rng, OFFICIAL_TITLES)} {_person(rng)}",
        "witness_name": _person(rng),
        "witness_role": _pick(rng, WITNESS_ROLES),
        "n1": str(rng.randint(3, 4000)),
        "n2": f"{rng.randint(1, 90)}.{rng.randint(1, 9)}",
        "n3": str(rng.choice((10, 14, 30, 45, 60, 90))),
        "n4": str(rng.randint(2, 900)),
        "year": str(rng.randint(1989, 2021)),
    }
    facts["when"] = f"early {facts['day']}"
    facts["when_local"] = f"on {facts['day']}"
    quotes = [_quote(rng, place) for _ in range(4)]
    offsets = {slot: rng.randrange(12) for slot in WIRE_STYLE}
    return _Event(key, kind, facts, quotes, offsets)


def _clause(rng: random.Random) -> str:
    return f"{_pick(rng, BG_SUBJECTS)} {_pick(rng, BG_VERBS)} {_pick(rng, BG_OBJECTS)}"


def _background(rng: random.Random, facts: dict[str, str]) -> str:
    sentences = []
    for _ in range(rng.randint(2, 3)):
        sentences.append(
            f"{_pick(rng, BG_OPENERS)} {_clause(rng)} {_pick(rng, BG_TAILS)}, "
            f"{_pick(rng, BG_LINKS)} {_clause(rng)} in {facts['place']}."
        )
    return " ".join(sentences)


def _article(
    rng: random.Random, event: _Event, style: dict[str, tuple[str, ...]], variant: int = 0
) -> str:
    """One article about `event` in a house style: paragraphs separated by blank lines.

    Reporters sharing a house style (`variant` 0, 1, ...) write each part differently: the
    same stock sentence with the same facts in two articles would be a copy, not a style.
    """
    facts = event.facts

    def part(slot: str) -> str:
        options = style[slot]
        return options[(event.template_offsets[slot] + variant) % len(options)]

    # Each outlet quotes two of the event's four quotes: often the same ones as the others.
    quotes = rng.sample(event.quotes, 2)
    parts: list[str] = [
        part("lead"),
        part("count"),
        part("quote_intro").replace("{quote}", quotes[0]),
        _background(rng, facts),
        part("money"),
        part("witness").replace("{quote}", quotes[1]),
        _background(rng, facts),
        part("history"),
        _background(rng, facts),
        part("next"),
    ]
    for _ in range(rng.randint(1, 4)):
        parts.insert(rng.randint(3, len(parts)), _background(rng, facts))
    return "\n\n".join(part.format(**facts) for part in parts)


# --- What papers do to wire copy ------------------------------------------------------------


def _paragraphs(text: str) -> list[str]:
    return [paragraph for paragraph in text.split("\n\n") if paragraph.strip()]


def _trim(rng: random.Random, paragraphs: list[str]) -> list[str]:
    keep = max(3, round(len(paragraphs) * rng.uniform(0.45, 0.85)))
    return paragraphs[:keep]


def _reparagraph(rng: random.Random, paragraphs: list[str]) -> list[str]:
    result: list[str] = []
    for paragraph in paragraphs:
        if result and rng.random() < 0.3:
            result[-1] += " " + paragraph
        elif ". " in paragraph and rng.random() < 0.3:
            head, _, tail = paragraph.partition(". ")
            result += [head + ".", tail]
        else:
            result.append(paragraph)
    return result


def _copy_edit(rng: random.Random, paragraphs: list[str]) -> list[str]:
    edits = rng.sample(COPY_EDITS, rng.randint(2, 4))
    edited = []
    for paragraph in paragraphs:
        if rng.random() < 0.5:
            for old, new in edits:
                paragraph = paragraph.replace(old, new)
        for digit, word in NUMBER_WORDS.items():
            paragraph = paragraph.replace(f" {digit} ", f" {word} ")
        edited.append(paragraph)
    return edited


def syndicated_copy(rng: random.Random, text: str, paper: str, year: str) -> tuple[str, list[str]]:
    """A paper's copy of a wire text, with two to five of the usual changes (and their names)."""
    paragraphs = _paragraphs(text)
    changes = rng.sample(
        ["chrome", "headline", "trim", "note", "repara", "edit", "local"], rng.randint(2, 5)
    )
    if "trim" in changes:
        paragraphs = _trim(rng, paragraphs)
    if "edit" in changes:
        paragraphs = _copy_edit(rng, paragraphs)
    if "local" in changes:
        addition = _pick(rng, LOCAL_ADDITIONS).format(paper=paper)
        paragraphs.insert(rng.randint(2, len(paragraphs)), addition)
    if "repara" in changes:
        paragraphs = _reparagraph(rng, paragraphs)
    if "note" in changes:
        note = _pick(rng, EDITOR_NOTES)
        paragraphs = [note, *paragraphs] if rng.random() < 0.5 else [*paragraphs, note]
    if "headline" in changes:
        words = _paragraphs(text)[0].split()[: rng.randint(6, 10)]
        paragraphs = [" ".join(words).rstrip(",.") + f" | {paper}", *paragraphs]
    if "chrome" in changes:
        top = rng.sample(CHROME_TOP, rng.randint(1, 2))
        bottom = [line.format(year=year) for line in rng.sample(CHROME_BOTTOM, rng.randint(1, 3))]
        paragraphs = [*top, *paragraphs, *bottom]
    return "\n\n".join(paragraphs), changes


def _follow_up(rng: random.Random, event: _Event, wire: str) -> str:
    """The wire's next-day story on the event: new figures, new quotes (and one old one), the
    wire's other phrasing, and, word for word, the first story's lead and a background
    paragraph as a recap, as wire follow-ups do. Not a copy, though a fifth of it is."""
    facts = dict(event.facts)
    facts["n1"] = str(int(facts["n1"]) + rng.randint(1, 90))
    facts["n2"] = f"{rng.randint(1, 90)}.{rng.randint(1, 9)}"
    facts["day"] = WEEKDAYS[(WEEKDAYS.index(facts["day"]) + 1) % len(WEEKDAYS)]
    facts["when"] = f"late {facts['day']}"
    quotes = [_quote(rng, facts["place"]) for _ in range(3)] + [rng.choice(event.quotes)]
    later = _Event(event.key, event.kind, facts, quotes, event.template_offsets)
    paragraphs = _paragraphs(_article(rng, later, WIRE_STYLE, variant=1))
    original = _paragraphs(wire)
    # The first story's lead, and its first background paragraph (always the fourth).
    paragraphs[3:3] = [original[0], original[3]]
    return "\n\n".join(paragraphs)


def generate(stories: int = 200, seed: int = 5) -> list[Document]:
    """The test set for `stories` events, shuffled into the order a crawler might meet them.

    Per event: a wire story and 2-5 syndicated copies; 1-2 distinct articles about the same
    event, half of them with a syndicated copy of their own; and for half the events the
    wire's follow-up story (recapping the first one word for word), half of those copied.
    """
    rng = random.Random(seed)
    documents: list[Document] = []
    for number in range(stories):
        event = _event(rng, f"e{number}")
        year = event.facts["year"]
        wire = _article(rng, event, WIRE_STYLE)
        story = f"{event.key}-wire"
        documents.append(Document(f"https://wire.example/{story}", wire, story, event.key, "wire"))
        for copy in range(rng.randint(2, 5)):
            paper = f"paper{rng.randint(1, 60)}.example"
            text, changes = syndicated_copy(rng, wire, paper, year)
            url = f"https://{paper}/{event.key}/wire-copy-{copy}"
            documents.append(Document(url, text, story, event.key, "copy", changes))
        for other in range(rng.randint(1, 2)):
            text = _article(rng, event, LOCAL_STYLE, variant=other)
            story = f"{event.key}-local{other}"
            url = f"https://local{other}.example/{event.key}/own-report"
            documents.append(Document(url, text, story, event.key, "distinct"))
            if rng.random() < 0.5:
                paper = f"paper{rng.randint(1, 60)}.example"
                copy_text, changes = syndicated_copy(rng, text, paper, year)
                url = f"https://{paper}/{event.key}/local{other}-copy"
                documents.append(
                    Document(url, copy_text, story, event.key, "distinct-copy", changes)
                )
        if rng.random() < 0.5:
            text = _follow_up(rng, event, wire)
            story = f"{event.key}-follow-up"
            url = f"https://wire.example/{story}"
            documents.append(Document(url, text, story, event.key, "follow-up"))
            if rng.random() < 0.5:
                paper = f"paper{rng.randint(1, 60)}.example"
                copy_text, changes = syndicated_copy(rng, text, paper, year)
                url = f"https://{paper}/{event.key}/follow-up-copy"
                documents.append(
                    Document(url, copy_text, story, event.key, "follow-up-copy", changes)
                )
    rng.shuffle(documents)
    return documents


# --- Scoring --------------------------------------------------------------------------------


@dataclass
class Scores:
    """How well duplicate decisions matched the truth, per decision and per pair."""

    documents: int
    decisions_right: int  # marked a copy of the right story
    decisions_wrong: int  # marked a copy, but there was no earlier copy of that story
    missed: int  # an earlier copy of the story existed, but it was not marked
    pair_precision: float
    pair_recall: float
    wrong_examples: list[tuple[str, str]]
    missed_examples: list[str]

    @property
    def precision(self) -> float:
        """Share of documents marked as copies that are copies of the story named."""
        marked = self.decisions_right + self.decisions_wrong
        return self.decisions_right / marked if marked else 1.0

    @property
    def recall(self) -> float:
        """Share of documents with an earlier copy of their story that were marked so."""
        expected = self.decisions_right + self.missed
        return self.decisions_right / expected if expected else 1.0


def score(documents: list[Document], verdicts: list[tuple[str | None, str]]) -> Scores:
    """Score (duplicate_of, cluster_id) per document, in the order they were seen."""
    story_of = {document.url: document.story for document in documents}
    seen_stories: set[str] = set()
    right = wrong = missed = 0
    wrong_examples: list[tuple[str, str]] = []
    missed_examples: list[str] = []
    for document, (duplicate_of, _cluster) in zip(documents, verdicts, strict=True):
        earlier_copy = document.story in seen_stories
        if duplicate_of is not None:
            if earlier_copy and story_of.get(duplicate_of) == document.story:
                right += 1
            else:
                wrong += 1
                wrong_examples.append((document.url, duplicate_of))
                if earlier_copy:
                    missed += 1
        elif earlier_copy:
            missed += 1
            missed_examples.append(document.url)
        seen_stories.add(document.story)
    pair_precision, pair_recall = _pair_scores(documents, [cluster for _, cluster in verdicts])
    return Scores(
        len(documents),
        right,
        wrong,
        missed,
        pair_precision,
        pair_recall,
        wrong_examples,
        missed_examples,
    )


def _pair_scores(documents: list[Document], clusters: list[str]) -> tuple[float, float]:
    """Pairwise clustering precision and recall: pairs put together, pairs that belong so."""
    from collections import Counter

    together = Counter(clusters)
    truth = Counter(document.story for document in documents)
    both = Counter(zip(clusters, (d.story for d in documents), strict=True))

    def pairs(counter: Counter[Any]) -> int:
        return sum(n * (n - 1) // 2 for n in counter.values())

    predicted, actual, agreed = pairs(together), pairs(truth), pairs(both)
    return (agreed / predicted if predicted else 1.0, agreed / actual if actual else 1.0)
