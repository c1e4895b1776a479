"""Throwaway servers for the tests, on free loopback ports, one function per server.

Each starts a real server in a temporary directory and stops and removes it afterwards, like
pytest-postgresql does; a test module wraps it in a session fixture. Each reports a missing
server binary by raising ServerUnavailable (tests skip on it, CI installs the package).

Neither PostgreSQL nor redis-server can listen on port 0 and say which port they got, and a
port found free may be taken by another test worker's server before ours binds it. So each
server is started on a port found free, checked to be ours once it answers (its data folder,
its process id), and started again on another port if the port was taken
(`start_on_free_port`). Tests that need a port nothing listens on use the `closed_port`
fixture (tests/conftest.py), which holds the port for the whole test.
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
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

STARTUP_TIMEOUT_SECONDS = 60.0
PORT_ATTEMPTS = 5
Started = TypeVar("Started")


class ServerUnavailable(Exception):
    """The server's binaries are not installed on this machine."""


class PortTaken(Exception):
    """Another process took the port before the server could bind it."""


def start_on_free_port(start: Callable[[int], Started]) -> Started:
    """`start(port)` on a port that nothing listened on a moment ago; when another process took
    it meanwhile (`start` raises PortTaken), again on another port."""
    for attempt in range(PORT_ATTEMPTS):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port: int = probe.getsockname()[1]
        try:
            return start(port)
        except PortTaken:
            if attempt == PORT_ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")


def _exited(server: subprocess.Popen[bytes], log: Path, name: str) -> Exception:
    """Why `server` exited while starting: PortTaken when its log says so."""
    text = log.read_text(errors="replace") if log.exists() else ""
    if "Address already in use" in text or "could not bind" in text:
        return PortTaken(text[-500:])
    return RuntimeError(f"{name} exited on start: {text}")


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

        def start(port: int) -> subprocess.Popen[bytes]:
            log = (root / "server.log").open("wb")
            # Throwaway data: no fsync makes the tests faster and costs nothing here.
            started = subprocess.Popen(
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
            try:
                _wait_for_postgres(port, started, root)
            except BaseException:
                _stop(started, signal.SIGINT)
                raise
            return started

        server, port = start_on_free_port(lambda port: (start(port), port))
        yield f"postgresql://postgres@127.0.0.1:{port}/postgres"
    finally:
        if server is not None:
            _stop(server, signal.SIGINT)  # "fast" shutdown: disconnect clients, stop
        shutil.rmtree(root, ignore_errors=True)


def _wait_for_postgres(port: int, server: subprocess.Popen[bytes], root: Path) -> None:
    """Until `server` accepts connections on `port`. Its own Unix socket for that port in its
    own folder (`-k root`) says the TCP port is its too: a postmaster that cannot bind its
    TCP address exits before it makes the socket."""
    deadline = time.monotonic() + STARTUP_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise _exited(server, root / "server.log", "PostgreSQL")
        if (root / f".s.PGSQL.{port}").exists():
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    return
            except OSError:
                pass
        time.sleep(0.1)
    raise RuntimeError(
        f"PostgreSQL did not listen on port {port} within {STARTUP_TIMEOUT_SECONDS} s"
    )


def _stop(server: subprocess.Popen[bytes], how: signal.Signals = signal.SIGTERM) -> None:
    if server.poll() is None:
        server.send_signal(how)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


@contextmanager
def redis_server() -> Iterator[str]:
    """A fresh redis-server on 127.0.0.1:<free port>, in memory only; yields its URL."""
    binary = shutil.which("redis-server")
    if binary is None:
        raise ServerUnavailable("redis-server not found: apt-get install redis-server")
    root = Path(tempfile.mkdtemp(prefix="newsscrape-redis-"))

    def start(port: int) -> subprocess.Popen[bytes]:
        log = root / "server.log"
        log.unlink(missing_ok=True)
        started = subprocess.Popen(
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
                str(log),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
        )
        try:
            _wait_for_redis(port, started, log)
        except BaseException:
            _stop(started)
            raise
        return started

    try:
        server, port = start_on_free_port(lambda port: (start(port), port))
    except BaseException:
        shutil.rmtree(root, ignore_errors=True)
        raise
    try:
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        _stop(server)
        shutil.rmtree(root, ignore_errors=True)


def _wait_for_redis(port: int, server: subprocess.Popen[bytes], log: Path) -> None:
    """Until `server` answers on `port`, and it is `server` that answers (its process id)."""
    deadline = time.monotonic() + STARTUP_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise _exited(server, log, "redis-server")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as probe:
                probe.sendall(b"INFO server\r\n")
                answer = b""
                while b"process_id:" not in answer or not answer.endswith(b"\r\n"):
                    chunk = probe.recv(65536)
                    if not chunk:
                        break
                    answer += chunk
            if f"process_id:{server.pid}\r\n".encode() in answer:
                return
            if b"process_id:" in answer:  # another test worker's server has the port
                raise PortTaken(f"port {port} answers for another redis-server")
        except OSError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"redis-server did not answer on port {port}")


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
