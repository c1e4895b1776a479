"""Throwaway servers for the tests, on free loopback ports, one function per server.

Each starts a real server in a temporary directory and stops and removes it afterwards, like
pytest-postgresql does; a test module wraps it in a session fixture. Each reports a missing
server binary by raising ServerUnavailable (tests skip on it, CI installs the package).
"""

from __future__ import annotations

import atexit
import contextlib
import os
import pwd
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

STARTUP_TIMEOUT_SECONDS = 60.0


class ServerUnavailable(Exception):
    """The server's binaries are not installed on this machine."""


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def postgres_bin() -> Path:
    """The directory holding initdb and postgres: Debian's /usr/lib/postgresql/<version>/bin
    (newest first), else whatever is on PATH."""
    candidates = sorted(
        Path("/usr/lib/postgresql").glob("*/bin"),
        key=lambda path: int(path.parent.name) if path.parent.name.isdigit() else 0,
        reverse=True,
    )
    on_path = shutil.which("initdb")
    if on_path:
        candidates.append(Path(on_path).parent)
    for directory in candidates:
        if (directory / "initdb").is_file() and (directory / "postgres").is_file():
            return directory
    raise ServerUnavailable(
        "PostgreSQL server binaries (initdb, postgres) not found: apt-get install postgresql"
    )


@contextmanager
def postgres_server() -> Iterator[str]:
    """A fresh PostgreSQL cluster on 127.0.0.1:<free port>; yields its connection URI
    (user `postgres`, trust authentication, database `postgres`)."""
    binaries = postgres_bin()
    root = Path(tempfile.mkdtemp(prefix="newsscrape-pg-"))
    # PostgreSQL refuses to run as root: as root, run it as the package's `postgres` user.
    user = "postgres" if os.geteuid() == 0 else None
    if user is not None:
        try:
            account = pwd.getpwnam(user)
        except KeyError:
            shutil.rmtree(root, ignore_errors=True)
            raise ServerUnavailable(
                "as root, PostgreSQL runs as the 'postgres' user, which does not exist: "
                "apt-get install postgresql creates it"
            ) from None
        os.chown(root, account.pw_uid, account.pw_gid)
    data = root / "data"
    server: subprocess.Popen[bytes] | None = None
    try:
        subprocess.run(
            [
                str(binaries / "initdb"),
                "-D",
                str(data),
                "--auth=trust",
                "--username=postgres",
                "--encoding=UTF8",
                "--no-sync",
            ],
            user=user,
            check=True,
            capture_output=True,
            timeout=STARTUP_TIMEOUT_SECONDS,
        )
        port = free_port()
        log = (root / "server.log").open("wb")
        # Throwaway data: no fsync makes the tests faster and costs nothing here.
        server = subprocess.Popen(
            [
                str(binaries / "postgres"),
                "-D",
                str(data),
                "-p",
                str(port),
                "-k",
                str(root),
                "-c",
                "listen_addresses=127.0.0.1",
                "-c",
                "fsync=off",
                "-c",
                "synchronous_commit=off",
                "-c",
                "full_page_writes=off",
            ],
            user=user,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        log.close()
        _wait_for_port(port, server, root / "server.log")
        yield f"postgresql://postgres@127.0.0.1:{port}/postgres"
    finally:
        if server is not None and server.poll() is None:
            server.send_signal(signal.SIGINT)  # "fast" shutdown: disconnect clients, stop
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
        shutil.rmtree(root, ignore_errors=True)


def _wait_for_port(port: int, server: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"PostgreSQL exited on start: {log.read_text(errors='replace')}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(
        f"PostgreSQL did not listen on port {port} within {STARTUP_TIMEOUT_SECONDS} s"
    )


@contextmanager
def redis_server() -> Iterator[str]:
    """A fresh redis-server on 127.0.0.1:<free port>, in memory only; yields its URL."""
    binary = shutil.which("redis-server")
    if binary is None:
        raise ServerUnavailable("redis-server not found: apt-get install redis-server")
    root = Path(tempfile.mkdtemp(prefix="newsscrape-redis-"))
    port = free_port()
    server = subprocess.Popen(
        [
            binary,
            "--bind",
            "127.0.0.1",
            "--port",
            str(port),
            "--dir",
            str(root),
            # Throwaway data: no snapshots, no append-only file.
            "--save",
            "",
            "--appendonly",
            "no",
            "--logfile",
            str(root / "server.log"),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + STARTUP_TIMEOUT_SECONDS
        while True:
            if server.poll() is not None:
                log = root / "server.log"
                raise RuntimeError(
                    f"redis-server exited on start: {log.read_text(errors='replace') if log.exists() else ''}"
                )
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1) as probe:
                    probe.sendall(b"PING\r\n")
                    if probe.recv(16).startswith(b"+PONG"):
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"redis-server did not answer on port {port}")
            time.sleep(0.1)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        if server.poll() is None:
            server.terminate()
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
        shutil.rmtree(root, ignore_errors=True)


_shared: dict[str, str] = {}
_shared_servers = contextlib.ExitStack()


def shared_postgres() -> str:
    """One PostgreSQL server for the whole test process (every test module that needs one
    shares it; each test makes its own database); stopped when the process exits."""
    if "postgresql" not in _shared:
        _shared["postgresql"] = _shared_servers.enter_context(postgres_server())
        atexit.register(_shared_servers.close)
    return _shared["postgresql"]


def fresh_postgres_database(server_url: str, name: str) -> str:
    """An empty database called `name` on the server (dropped first if it exists); its URI."""
    import psycopg

    with psycopg.connect(server_url, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')
    return server_url.rsplit("/", 1)[0] + "/" + name
