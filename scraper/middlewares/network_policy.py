"""Where newsscrape may connect: only http and https, and optionally only public addresses.

`NetworkPolicyMiddleware` is a downloader middleware that runs before every request, including
robots.txt, sitemaps and each hop of a redirect (a redirect is a new request):

- a URL whose scheme is not http or https (file:, ftp:, data:, javascript:, s3:…) is never
  fetched, whatever led to it (a sitemap entry, a redirect);
- with NEWSSCRAPE_DENY_PRIVATE_NETWORKS (CLI: `--deny-private-networks`), a host that is, or
  resolves to, a loopback, private, link-local, shared (CGNAT), multicast or otherwise
  non-public address is refused before anything is sent; after the response, the address the
  connection really went to (`response.ip_address`) is checked again, which catches DNS
  answers that changed between the check and the connection (DNS rebinding).

NEWSSCRAPE_ALLOW_NETWORKS lists networks (CIDR) that stay allowed even so, e.g. a company
proxy or a staging host; the tests use it to stand in for "the public internet" on loopback.
"""

from __future__ import annotations

import ipaddress
import socket
from typing import Any
from urllib.parse import urlsplit

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response
from scrapy.utils.defer import maybe_deferred_to_future
from twisted.internet.threads import deferToThread

FETCHED_SCHEMES = ("http", "https")
Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_networks(values: list[str] | str) -> list[Network]:
    """CIDR networks from a list or a comma-separated string; ValueError names a bad one."""
    if isinstance(values, str):
        values = values.split(",")
    networks = []
    for value in values:
        value = value.strip()
        if not value:
            continue
        try:
            networks.append(ipaddress.ip_network(value, strict=False))
        except ValueError as error:
            raise ValueError(
                f"NEWSSCRAPE_ALLOW_NETWORKS: {value!r} is not an IP network "
                "(write e.g. 203.0.113.0/24 or 10.1.2.3)"
            ) from error
    return networks


def is_public(address: Address) -> bool:
    """True for an address on the public internet (not loopback, private, link-local…)."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address.is_global and not address.is_multicast


class NetworkPolicyMiddleware:
    """Downloader middleware: http(s) only; with the setting on, public addresses only."""

    def __init__(self, deny_private: bool, allowed: list[Network]) -> None:
        self.deny_private = deny_private
        self.allowed = allowed
        self._resolved: dict[tuple[str, int], list[Address]] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> NetworkPolicyMiddleware:
        settings = crawler.settings
        return cls(
            settings.getbool("NEWSSCRAPE_DENY_PRIVATE_NETWORKS"),
            parse_networks(settings.getlist("NEWSSCRAPE_ALLOW_NETWORKS")),
        )

    def refused(self, address: Address) -> bool:
        """Whether connecting to `address` is against the policy."""
        if not self.deny_private or is_public(address):
            return False
        return not any(address in network for network in self.allowed)

    async def process_request(self, request: Request) -> None:
        parts = urlsplit(request.url)
        scheme = parts.scheme.lower()
        if scheme not in FETCHED_SCHEMES:
            raise IgnoreRequest(
                f"unsupported URL scheme {scheme!r}: only http and https are fetched"
            )
        if not self.deny_private or not parts.hostname:
            return
        port = parts.port or (443 if scheme == "https" else 80)
        for address in await self._addresses(parts.hostname, port):
            if self.refused(address):
                shown = "" if parts.hostname == str(address) else f" (resolves to {address})"
                raise IgnoreRequest(
                    f"private network address refused: {parts.hostname}{shown} "
                    "is not a public address (--deny-private-networks)"
                )

    def process_response(self, request: Request, response: Response) -> Response:
        address = response.ip_address
        if self.deny_private and address is not None and self.refused(address):
            raise IgnoreRequest(
                f"private network address refused: connected to {address}, "
                "not a public address (--deny-private-networks)"
            )
        return response

    async def _addresses(self, host: str, port: int) -> list[Address]:
        try:
            return [ipaddress.ip_address(host.strip("[]"))]
        except ValueError:
            pass
        key = (host, port)
        if key not in self._resolved:
            # getaddrinfo blocks: a thread keeps the reactor free.
            try:
                infos: list[Any] = await maybe_deferred_to_future(
                    deferToThread(socket.getaddrinfo, host, port, 0, socket.SOCK_STREAM)
                )
            except OSError:
                # Unresolvable: the download itself fails with a DNS error, reported as such.
                return []
            self._resolved[key] = [ipaddress.ip_address(info[4][0]) for info in infos]
        return self._resolved[key]
