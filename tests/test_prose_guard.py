"""The prose guard: no whole-line rule may read prose as chrome.

Every line rule (`scraper.extract.chrome_lines`) runs over ordinary sentences written here and over
every paragraph of the gold article text of the shared dev sets (`../shared/bench/`, read in
place when it is there, never copied): a match is a failing test, not a judgement call. A rule
that needs to match one of these lines is too loose; narrow it or move it into the site
profile of the outlet whose wording it is.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scraper.extract.chrome_lines import chrome_line_rule, closing_list_start

BENCH = Path(__file__).resolve().parent.parent.parent / "shared" / "bench"
GOLD_SETS = ("scrapinghub-dev", "news-dev", "wcxb-dev")

# Sentences and lines of ordinary articles, many of them opening like chrome does.
ORDINARY_LINES = [
    "Writing by candlelight, she finished the novel in the winter of 1923.",
    "Reporting by the newspaper revealed that the mayor had hidden the payments for years.",
    "With information from the police, investigators traced the car to a garage in Leeds.",
    "Stay informed with the latest guidance from health officials, the ministry said on Monday.",
    "Follow us on a journey through the old town.",
    "(Laughter)",
    "(Applause)",
    "Editing by hand took the monks most of the century.",
    "Compiled by volunteers, the list names every soldier from the village.",
    "Share prices fell sharply on Tuesday.",
    "Comments from the minister drew criticism from both parties.",
    "Source: National Statistics Office, 2023",
    "Click here, he said, and the whole screen went dark.",
    "Subscribe, the sign in the window said, and you will never miss an issue.",
    "Like many towns along the coast, Bayport depends on tourism.",
    "Read more slowly, and the poem reveals a second meaning.",
    "More than 200 people attended the meeting.",
    "Print was still the main source of revenue for the paper in 1995.",
    "Advertising revenue fell by a third last year.",
    "Sponsored by the city, the festival runs until Sunday.",
    "Photo: a family walks past the flooded market in Dhaka.",
    "Copyright law has not kept pace with artificial intelligence, the panel found.",
    "All rights reserved, the label read, in letters too small to see.",
    "Quelle: Statistisches Bundesamt",
    "Mit Informationen der Polizei konnten die Ermittler den Wagen finden.",
    "Lesen Sie dazu die Stellungnahme der Behörde im Wortlaut:",
    "Mehr Infos gibt es auf der Website der Stadt.",
    "Tell us what you think about the new timetable at the town hall on Friday.",
    "Get real-time updates from the field, the general told his officers.",
    "Follow along as the team climbs the north face.",
    "Email was the only way to reach the crew on the island.",
    "Register offices will close early on Christmas Eve.",
    "Updated at 10:42, the forecast warned of more rain.",
    "1. Preheat the oven to 200 degrees.",
    "4.7/5",
    "May 20, 2025, was the day the bridge reopened.",
    "Tags were attached to each of the 300 released birds.",
    "Übersetzung und Adaptierung: zwei Berufe, die oft verwechselt werden.",
    "Translation and editing: both took longer than the publisher had planned.",
]


def _gold_lines() -> list[tuple[str, str, str]]:
    """(set, page id, line) for every paragraph of every gold article body."""
    lines = []
    for name in GOLD_SETS:
        path = BENCH / name / "ground-truth.json"
        if not path.is_file():
            continue
        for pid, gold in json.loads(path.read_text(encoding="utf-8")).items():
            for line in (gold.get("articleBody") or "").splitlines():
                if line.strip():
                    lines.append((name, pid, line.strip()))
    return lines


@pytest.mark.parametrize("line", ORDINARY_LINES)
def test_no_line_rule_reads_an_ordinary_sentence_as_chrome(line: str) -> None:
    assert chrome_line_rule(line) is None


def test_no_line_rule_matches_a_paragraph_of_gold_article_text() -> None:
    lines = _gold_lines()
    if not lines:
        pytest.skip(f"the shared dev sets are not at {BENCH}")
    matched = [
        f"{name} {pid} [{rule}] {line[:100]}"
        for name, pid, line in lines
        if (rule := chrome_line_rule(line)) is not None
    ]
    assert not matched, f"{len(matched)} gold paragraphs read as chrome:\n" + "\n".join(matched)


def test_no_closing_list_is_found_in_gold_article_text() -> None:
    bodies = [
        (name, pid, [line for line in body.splitlines() if line.strip()])
        for name in GOLD_SETS
        if (BENCH / name / "ground-truth.json").is_file()
        for pid, gold in json.loads(
            (BENCH / name / "ground-truth.json").read_text(encoding="utf-8")
        ).items()
        if (body := gold.get("articleBody") or "")
    ]
    if not bodies:
        pytest.skip(f"the shared dev sets are not at {BENCH}")
    found = [
        f"{name} {pid}: {lines[start][:80]}"
        for name, pid, lines in bodies
        if (start := closing_list_start(lines)) is not None
    ]
    assert not found, "\n".join(found)
