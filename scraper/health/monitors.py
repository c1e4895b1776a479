"""The health checks as Spidermon monitors, so that Spidermon's actions (email, Slack,
Telegram, Discord, Sentry, a file report) tell people without code. Needs the `spidermon`
extra (`pip install 'newsscrape[spidermon]'`); the checks themselves run without it.

    newsscrape crawl https://paper.example/ -s SPIDERMON_ENABLED=true \\
        -s NEWSSCRAPE_HEALTH_ACTIONS=spidermon.contrib.actions.slack.notifiers.SendSlackMessageSpiderFinished \\
        -s SPIDERMON_SLACK_SENDER_TOKEN=... -s SPIDERMON_SLACK_RECIPIENTS=@ops

scraper/settings.py enables Spidermon's extension when the package is installed (it stays off
until SPIDERMON_ENABLED) and names `HealthMonitorSuite` in SPIDERMON_SPIDER_CLOSE_MONITORS.
Each check (`scraper.health.checks.CHECKS`) is one monitor test, failed by the alerts it
raised in this run; the suite runs the actions NEWSSCRAPE_HEALTH_ACTIONS names when one
fails. The figures are compared once, by the health extension, which runs before Spidermon's
(EXTENSIONS order 400 against 500) and leaves the alerts in the crawl's stats.
"""

from __future__ import annotations

import warnings
from typing import Any

from scrapy.utils.misc import load_object
from spidermon import Monitor, MonitorSuite, monitors

from scraper.health.checks import Alert
from scraper.health.collect import ALERTS_STAT

# Spidermon 1.27 reports its monitors through Spider.log(), which Scrapy 2.13 deprecated: a
# warning about Spidermon's code, not the user's, printed on every run. Spidermon's to fix.
warnings.filterwarnings("ignore", message=r"Spider\.log\(\) is deprecated", module=r"spidermon\.")


@monitors.name("newsscrape health")
class HealthMonitor(Monitor):
    """Each figure of this crawl run against the same site's recent runs."""

    def _assert_no_alert(self, check: str) -> None:
        raised = [Alert.from_dict(data) for data in self.data.stats.get(ALERTS_STAT) or []]
        messages = [alert.message for alert in raised if alert.check == check]
        if messages:
            self.fail("; ".join(messages))

    @monitors.name("articles seen")
    def test_articles_seen(self) -> None:
        """Articles seen (written plus unchanged) not under a third of usual."""
        self._assert_no_alert("articles_seen")

    @monitors.name("field coverage")
    def test_coverage(self) -> None:
        """Records with a headline, authors, a published date: not down 30 points."""
        self._assert_no_alert("coverage")

    @monitors.name("median words")
    def test_median_words(self) -> None:
        """The records' median word count not halved."""
        self._assert_no_alert("median_words")

    @monitors.name("paywalled share")
    def test_paywalled(self) -> None:
        """Records flagged paywalled not up 30 points."""
        self._assert_no_alert("paywalled")

    @monitors.name("discovery sources")
    def test_sources(self) -> None:
        """Every discovery source that gave articles in each recent run gives some now."""
        self._assert_no_alert("sources")

    @monitors.name("not-article pages")
    def test_not_articles(self) -> None:
        """Pages refused as not articles (JavaScript shells, login walls) not jumping."""
        self._assert_no_alert("not_articles")

    @monitors.name("failures by kind")
    def test_failures(self) -> None:
        """No kind of failure jumping."""
        self._assert_no_alert("failures")


class HealthMonitorSuite(MonitorSuite):
    """newsscrape's health checks; the actions of NEWSSCRAPE_HEALTH_ACTIONS run when one
    fails."""

    monitors = [HealthMonitor]

    def __init__(self, *args: Any, crawler: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, crawler=crawler, **kwargs)
        if crawler is not None:
            actions = crawler.settings.getlist("NEWSSCRAPE_HEALTH_ACTIONS")
            self.add_monitors_failed_actions([load_object(path) for path in actions])
