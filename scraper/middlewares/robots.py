"""robots.txt obeyed by every request that waits for it, not only the first two.

Scrapy 2.19's RobotsTxtMiddleware (refactored to `async def` in scrapy/scrapy#6802) makes the
requests that arrive while a site's robots.txt is still downloading wait on one shared
Deferred, each through `maybe_deferred_to_future`. Under the asyncio reactor that is
`Deferred.asFuture`, which consumes the Deferred's result: the first waiter gets the parser and
every later one gets None, which the middleware reads as "no robots.txt, allow everything".
So when three or more requests for a new site start at once (a worker joining a distributed
crawl whose queue is full, `get` with many URLs of one site), the third and later ones were
fetched whatever robots.txt said.

This subclass gives each waiter its own Deferred, fed from the shared one without consuming
it; everything else (the download, the parser, the stats, the log lines) is Scrapy's.
"""

from __future__ import annotations

from scrapy import Request
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.robotstxt import RobotParser
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.httpobj import urlparse_cached
from twisted.internet.defer import Deferred


class SharedRobotsTxtMiddleware(RobotsTxtMiddleware):
    """Scrapy's RobotsTxtMiddleware, with the pending robots.txt shared by all its waiters."""

    async def robot_parser(self, request: Request) -> RobotParser | None:
        pending = self._parsers.get(urlparse_cached(request).netloc)
        if not isinstance(pending, Deferred):
            # Unknown site (Scrapy downloads its robots.txt and returns the parser itself) or
            # a site whose robots.txt is already read.
            return await super().robot_parser(request)
        own: Deferred[RobotParser | None] = Deferred()

        def relay(parser: RobotParser | None) -> RobotParser | None:
            own.callback(parser)
            return parser  # kept for the next waiter

        pending.addCallback(relay)
        return await maybe_deferred_to_future(own)
