"""A Spidermon action for tests/test_health.py: appends each failed monitor (name and
reason) as a JSON line to the file NEWSSCRAPE_TEST_SPIDERMON_RECORD names."""

from __future__ import annotations

import json
import os

from spidermon import Action


class RecordFailedMonitors(Action):
    """What a Slack or email action would send, written down where a test can read it."""

    def run_action(self) -> None:
        with open(os.environ["NEWSSCRAPE_TEST_SPIDERMON_RECORD"], "a", encoding="utf-8") as out:
            for result in self.result.monitors_failed_results:
                line = {"monitor": result.monitor.name, "reason": str(result.reason)}
                out.write(json.dumps(line) + "\n")
