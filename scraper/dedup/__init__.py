"""Deduplication of syndicated and near-duplicate copies, with state kept across runs.

The same wire story appears on many sites under other headlines, with other page chrome, a
trimmed ending or an editor's note. Stage by stage:

- `shingles`: the text as 5-word shingles, hashed, and a bottom-k sketch of them;
- `scraper.state.dedup`: the SQLite file of what was seen (documents, clusters, sketch
  postings), beside the crawl state's other stores;
- `detector`: `DuplicateDetector.observe(record)`: is it a copy of something seen, and of
  which story (exact canonical URL, exact text fingerprint, then near-duplicate by sketch).

`pipelines.neardup` runs the detector in a crawl; `benchmarks/dedup.py` measures it.
"""

from scraper.dedup.detector import DuplicateDetector, Verdict
from scraper.state.dedup import DedupState

__all__ = ["DedupState", "DuplicateDetector", "Verdict"]
