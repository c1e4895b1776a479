"""Bad input to the tool: one clear line and exit 2 before anything is fetched; outputs that
cannot be written are refused at the start (exit 2) or, when the disk fills mid-crawl,
reported once with the crawl stopped (exit 3); `--deny-private-networks` refuses loopback.

Command-line errors are checked in-process through `scraper.cli.main` (the real entry point:
they happen before any crawl starts); whatever crawls runs in a subprocess.
"""

from __future__ import annotations

import contextlib
import ipaddress
import json
import os
import subprocess
import sys
from collections.abc import Generator, Iterator
from pathlib import Path

import pytest
from scrapy import Request
from scrapy.exceptions import IgnoreRequest
from scrapy.http import HtmlResponse

from scraper.cli import main
from scraper.localsite import LocalSite
from scraper.middlewares.network_policy import NetworkPolicyMiddleware, is_public, parse_networks
from tests.conftest import ARTICLE_PATHS, FAST, ROOT, SITE, jsonl, run_cli
from tests.hostile import HostileSite


def _usage_error(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    """Run the CLI with `argv`; it must exit 2 with exactly one line on stderr."""
    try:
        status = main(list(argv))
    except SystemExit as exit_:  # argparse's own errors
        status = int(exit_.code or 0)
    captured = capsys.readouterr()
    assert status == 2, (argv, captured.err)
    assert "Traceback" not in captured.err
    lines = [line for line in captured.err.splitlines() if line.strip()]
    assert lines, argv
    if not lines[0].startswith("usage:"):  # argparse prints its usage, then the error
        assert len(lines) == 1, lines
    assert captured.out == ""
    return lines[-1]


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("ftp://example.com/story", "unsupported URL scheme 'ftp'"),
        ("file:///etc/passwd", "unsupported URL scheme 'file'"),
        ("javascript:alert(1)", "unsupported URL scheme 'javascript'"),
        ("data:text/html,<p>x</p>", "unsupported URL scheme 'data'"),
        ("http://", "no host"),
        ("https://exa mple.com/story", "spaces"),
        ("https://example.com:99999/", "Port out of range"),
        ("https://[::1/story", "Invalid IPv6 URL"),
        ("https://news..example.com/", "not a valid host name"),
    ],
)
def test_invalid_urls(capsys: pytest.CaptureFixture[str], url: str, says: str) -> None:
    for command in ("get", "crawl"):
        line = _usage_error(capsys, command, url)
        assert says in line and line.startswith(f"newsscrape {command}: error:"), line


def test_unreadable_url_files(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    binary = tmp_path / "urls.bin"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\xff\xfe")
    assert "No such file" in _usage_error(capsys, "get", "--url-file", str(tmp_path / "none"))
    assert "Is a directory" in _usage_error(capsys, "get", "--url-file", str(tmp_path))
    assert "not UTF-8 text" in _usage_error(capsys, "get", "--url-file", str(binary))


def test_invalid_options(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert "invalid choice" in _usage_error(capsys, "get", "--format", "xml", "https://x.org/")
    assert "NAME=VALUE" in _usage_error(capsys, "get", "-s", "NOEQUALS", "https://x.org/")
    line = _usage_error(
        capsys, "get", "https://x.org/", "-s", "NEWSSCRAPE_ALLOW_NETWORKS=10.0.0.0/8,not-a-net"
    )
    assert "'not-a-net' is not an IP network" in line
    # Settings a pipeline would only refuse once the crawl had started.
    line = _usage_error(capsys, "get", "https://x.org/", "-s", "NEWSSCRAPE_DEDUP=bogus")
    assert "NEWSSCRAPE_DEDUP must be keep or drop, not 'bogus'" in line
    line = _usage_error(
        capsys, "crawl", "https://x.org/", "-s", "NEWSSCRAPE_BOILERPLATE_MIN_PAGES=x"
    )
    # (A value of the wrong type is refused with the other -s values, against the default's.)
    assert "-s NEWSSCRAPE_BOILERPLATE_MIN_PAGES=x: expects a number (the default is 3)" in line
    assert "--url names" in _usage_error(
        capsys,
        "extract",
        str(tmp_path / "a.html"),
        str(tmp_path / "b.html"),
        "--url",
        "https://x.org/",
    )


def test_an_output_extension_that_names_no_format(
    capsys: pytest.CaptureFixture[str], newspaper: LocalSite, tmp_path: Path
) -> None:
    for command in (["get", "https://x.org/"], ["crawl", "https://x.org/"], ["extract", "-"]):
        line = _usage_error(capsys, *command, "-o", str(tmp_path / "out.xml"))
        assert ".xml is not an output format" in line and ".jsonl" in line and "--format" in line
    assert not (tmp_path / "out.xml").exists()
    # --format says what the name does not.
    result = run_cli(
        "get", newspaper.url + ARTICLE_PATHS[0], "-o", str(tmp_path / "out.xml"),
        "--format", "json", *FAST,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr.decode()
    assert json.loads((tmp_path / "out.xml").read_text())[0]["url"].endswith(ARTICLE_PATHS[0])


def test_bad_setting_values_are_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    # Checked against the type of the setting's default, before anything starts.
    line = _usage_error(capsys, "get", "https://x.org/", "-s", "DOWNLOAD_TIMEOUT=abc")
    assert line == (
        "newsscrape get: error: -s DOWNLOAD_TIMEOUT=abc: expects a number (the default is 30)"
    )
    line = _usage_error(capsys, "crawl", "https://x.org/", "-s", "ROBOTSTXT_OBEY=maybe")
    assert "-s ROBOTSTXT_OBEY=maybe: expects true or false" in line
    line = _usage_error(capsys, "get", "https://x.org/", "-s", "DOWNLOAD_SLOTS=[1]")
    assert "expects a JSON object" in line


def test_a_value_a_component_refuses_at_start_is_one_line(newspaper: LocalSite) -> None:
    # A number, but CONCURRENT_REQUESTS is read as a whole number when the engine is built.
    result = run_cli("get", newspaper.url + ARTICLE_PATHS[0], "-s", "CONCURRENT_REQUESTS=2.5")
    stderr = result.stderr.decode()
    assert result.returncode == 2, stderr
    assert stderr.splitlines() == [
        "newsscrape get: error: the crawl could not start: ValueError: invalid literal for "
        "int() with base 10: '2.5' (check -s CONCURRENT_REQUESTS=2.5)"
    ]
    assert jsonl(result.stdout) == []


def test_an_unknown_setting_name_is_warned_about(newspaper: LocalSite) -> None:
    result = run_cli("get", newspaper.url + ARTICLE_PATHS[0], "-s", "DOWNLOAD_TIMEOUTT=5", *FAST)
    stderr = result.stderr.decode()
    assert result.returncode == 0, stderr
    assert (
        "newsscrape: warning: -s DOWNLOAD_TIMEOUTT: no Scrapy or newsscrape setting has this "
        "name, so it changes nothing (did you mean DOWNLOAD_TIMEOUT?)"
    ) in stderr
    # Names Scrapy, scrapy-redis or newsscrape know are not warned about.
    known = run_cli(
        "get", newspaper.url + ARTICLE_PATHS[0], *FAST, "-s", "MAX_IDLE_TIME_BEFORE_CLOSE=1",
        "-s", "NEWSSCRAPE_DEDUP=keep", "-s", "HTTPCACHE_ENABLED=false",
    )  # fmt: skip
    assert known.returncode == 0 and "warning: -s" not in known.stderr.decode()


# --- Outputs that cannot be written


def _unwritable_paths(tmp_path: Path) -> dict[str, tuple[str, str]]:
    """Paths root cannot write either (tests run as root, who ignores chmod)."""
    a_file = tmp_path / "a-file"
    a_file.write_text("not a folder")
    return {
        "proc": ("/proc/newsscrape-test/out.jsonl", "cannot write"),
        "file-as-folder": (str(a_file / "out.jsonl"), "is a file, not a folder"),
        "folder": (str(tmp_path), "is a folder"),
    }


def test_unwritable_outputs_are_refused_at_the_start(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    page = SITE / "404.html"
    for path, says in _unwritable_paths(tmp_path).values():
        for argv in (
            ("get", "https://x.org/", "-o", path),
            ("crawl", "https://x.org/", "-o", path),
            ("get", "https://x.org/", "--errors", path),
            ("crawl", "https://x.org/", "--errors", path),
            ("extract", str(page), "-o", path),
        ):
            line = _usage_error(capsys, *argv)
            assert says in line and path in line, (argv, line)


def _mount_tiny_disk(folder: Path, size: str) -> bool:
    """Mount a tmpfs of `size` at `folder`; False where this machine allows no mount."""
    folder.mkdir()
    mount = ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)]
    return subprocess.run(mount, capture_output=True, check=False).returncode == 0


@contextlib.contextmanager
def tiny_disk(folder: Path, size: str) -> Iterator[Path | None]:
    """A tmpfs of `size` at `folder`, unmounted afterwards; None if it cannot be mounted."""
    if not _mount_tiny_disk(folder, size):
        yield None
        return
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def test_a_full_disk_is_refused_at_the_start(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    with tiny_disk(tmp_path / "disk", "64k") as disk:
        if disk is None:
            pytest.skip("no tmpfs can be mounted here; the mid-crawl test uses /dev/full")
        filler = disk / "filler"
        with contextlib.suppress(OSError), filler.open("wb") as stream:
            stream.write(b"\0" * (128 * 1024))
        line = _usage_error(capsys, "get", "https://x.org/", "-o", str(disk / "out.jsonl"))
        assert "No space left on device" in line


def test_disk_full_mid_crawl_stops_with_one_line_and_whole_records(
    newspaper: LocalSite, tmp_path: Path
) -> None:
    urls = [newspaper.url + path for path in ARTICLE_PATHS[:12]]
    with tiny_disk(tmp_path / "disk", "24k") as disk:
        # Where no tmpfs can be mounted, /dev/full fails every write the same way.
        output = disk / "out.jsonl" if disk is not None else Path("/dev/full")
        result = run_cli("get", *urls, *FAST, "-o", str(output))
        stderr = result.stderr.decode()
        assert result.returncode == 3, stderr[-2000:]
        assert "Traceback" not in stderr
        said = [line for line in stderr.splitlines() if "No space left on device" in line]
        assert len(said) == 1 and f"cannot write {output}: " in said[0], said
        if disk is not None:
            data = output.read_bytes()
            assert data.endswith(b"\n")  # the half-written record was cut off
            records = [json.loads(line) for line in data.splitlines()]
            assert 0 < len(records) < len(urls)


def test_standard_output_on_a_full_disk(newspaper: LocalSite) -> None:
    with open("/dev/full", "wb") as full:
        result = subprocess.run(
            [sys.executable, "-m", "scraper.cli", "get", newspaper.url + ARTICLE_PATHS[0], *FAST],
            stdout=full, stderr=subprocess.PIPE, cwd=ROOT, timeout=300, check=False,
            env={**os.environ, "PYTHONWARNINGS": "ignore"},
        )  # fmt: skip
    stderr = result.stderr.decode()
    assert result.returncode == 3, stderr[-2000:]
    assert "Traceback" not in stderr and "Exception ignored" not in stderr
    assert stderr.count("cannot write standard output: No space left on device") == 1


# --- Private networks


@pytest.fixture(scope="module")
def two_hosts() -> Generator[tuple[HostileSite, HostileSite]]:
    """The same server on 127.0.0.1 (private) and on 127.0.0.2, which the tests allow with
    NEWSSCRAPE_ALLOW_NETWORKS to stand for a public host (no test may leave loopback)."""
    with HostileSite("127.0.0.1") as private, HostileSite("127.0.0.2") as public:
        yield private, public


def test_deny_private_networks(two_hosts: tuple[HostileSite, HostileSite], tmp_path: Path) -> None:
    # (Without the flag loopback is fetched as usual: every other crawl test does so.)
    private, public = two_hosts
    port = private.url.rsplit(":", 1)[-1]
    urls = {
        "allowed": f"{public.url}/news/2024/05/02/allowed",
        "direct": f"{private.url}/news/2024/05/02/direct",
        "redirect": f"{public.url}/redirect-to?url={private.url}/news/2024/05/02/via-redirect",
        "by-name": f"http://localhost:{port}/news/2024/05/02/by-name",
    }
    errors = tmp_path / "errors.jsonl"
    result = run_cli(
        "get", *urls.values(), *FAST, "--deny-private-networks",
        "-s", "NEWSSCRAPE_ALLOW_NETWORKS=127.0.0.2/32", "--errors", str(errors),
    )  # fmt: skip
    stderr = result.stderr.decode()
    assert result.returncode == 1, stderr[-2000:]
    assert [r["url"] for r in jsonl(result.stdout)] == [urls["allowed"]]
    lines = [json.loads(line) for line in errors.read_text().splitlines()]
    reasons = {line["url"]: line["reason"] for line in lines}
    assert "private network address refused: 127.0.0.1 " in reasons[urls["direct"]]
    via = f"{private.url}/news/2024/05/02/via-redirect"
    assert "private network address refused: 127.0.0.1 " in reasons[via]
    by_name = f"http://localhost:{port}/news/2024/05/02/by-name"
    assert (
        "localhost (resolves to 127.0.0.1)" in reasons[by_name]
        or "(resolves to ::1)" in (reasons[by_name])
    )
    assert "private network refused 3" in stderr
    # Refused before anything was sent: the private server saw none of these pages.
    assert not [t for t in private.requests if t.startswith("/news/")]
    assert public.hits["/redirect-to"] == 1


def test_which_addresses_are_private() -> None:
    private = ["127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254",
               "100.64.0.1", "0.0.0.0", "::1", "fe80::1", "fc00::1", "::ffff:127.0.0.1",
               "224.0.0.1"]  # fmt: skip
    public = ["93.184.216.34", "8.8.8.8", "2606:4700::1111", "::ffff:8.8.8.8"]
    for address in private:
        assert not is_public(ipaddress.ip_address(address)), address
    for address in public:
        assert is_public(ipaddress.ip_address(address)), address


def test_the_address_a_response_came_from_is_checked_too() -> None:
    # DNS may answer differently at connection time than at the check (DNS rebinding).
    policy = NetworkPolicyMiddleware(True, parse_networks("127.0.0.2/32"))
    request = Request("http://news.example/story")
    came_from_loopback = HtmlResponse(
        request.url, request=request, ip_address=ipaddress.ip_address("127.0.0.1")
    )
    with pytest.raises(IgnoreRequest, match=r"connected to 127\.0\.0\.1"):
        policy.process_response(request, came_from_loopback)
    allowed = HtmlResponse(
        request.url, request=request, ip_address=ipaddress.ip_address("127.0.0.2")
    )
    assert policy.process_response(request, allowed) is allowed
    off = NetworkPolicyMiddleware(False, [])
    assert off.process_response(request, came_from_loopback) is came_from_loopback
