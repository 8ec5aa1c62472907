"""`advisor serve` in a subprocess on loopback for the reliability tests, and a small HTTP client for it."""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

START_SECONDS = 60.0
STOP_SECONDS = 30.0


def read_answer(sock: socket.socket) -> tuple[int, dict[str, str], bytes]:
    """The whole answer on a raw connection the server closes: status, headers (lower-case), body."""
    data = b""
    while chunk := sock.recv(65536):
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    status_line, *lines = head.decode("latin-1").split("\r\n")
    headers = {k.strip().lower(): v.strip() for k, v in (line.split(":", 1) for line in lines)}
    return int(status_line.split()[1]), headers, body


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class Answer:
    status: int
    body: Any
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Server:
    process: subprocess.Popen[bytes]
    port: int
    log: Path

    def call(
        self,
        method: str,
        path: str,
        body: Any = None,
        timeout: float = 60.0,
        on_connect: Callable[[int], None] | None = None,
        headers: dict[str, str] | None = None,
    ) -> Answer:
        """One request on a connection of its own; OSError or HTTPException when it is cut off.
        `on_connect` learns the connection's local port before the request is sent."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            if on_connect is not None:
                connection.connect()
                assert connection.sock is not None
                on_connect(connection.sock.getsockname()[1])
            sent = {"Content-Type": "application/json"} if body is not None else {}
            connection.request(
                method, path, None if body is None else json.dumps(body), sent | (headers or {})
            )
            response = connection.getresponse()
            data = response.read()
        finally:
            connection.close()
        kind = response.getheader("Content-Type") or ""
        return Answer(
            response.status, json.loads(data) if "json" in kind else data, dict(response.getheaders())
        )

    def errors(self) -> str:
        """The server's error lines and the last exception it logged, for a failing assertion."""
        lines = [line for line in self.log.read_text().splitlines() if not line.startswith("{")]
        shown = [line for line in lines if "[ERROR]" in line or "Error" in line]
        return "\n".join(shown[-12:])

    def workers(self) -> list[int]:
        """The pids of gunicorn's workers: the processes whose parent is the master (this subprocess)."""
        found = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:  # the process ended while we looked
                continue
            if int(fields[1]) == self.process.pid:
                found.append(int(stat.parent.name))
        return found

    def connections(self) -> dict[int, int]:
        """The established client connections to the service's port: socket inode -> client port."""
        found = {}
        for table in ("/proc/net/tcp", "/proc/net/tcp6"):
            try:
                lines = Path(table).read_text().splitlines()[1:]
            except OSError:
                continue
            for line in lines:
                fields = line.split()
                local_port = int(fields[1].rsplit(":", 1)[1], 16)
                if local_port == self.port and fields[3] == "01":  # 01: ESTABLISHED
                    found[int(fields[9])] = int(fields[2].rsplit(":", 1)[1], 16)
        return found

    def held_connections(self) -> dict[int, list[int]]:
        """Worker pid -> the client ports of the connections it holds (the requests it has in hand)."""
        by_inode = self.connections()
        held: dict[int, list[int]] = {}
        for pid in self.workers():
            try:
                links = [os.readlink(fd) for fd in Path(f"/proc/{pid}/fd").iterdir()]
            except OSError:  # the worker ended, or a descriptor closed while we looked
                continue
            inodes = [int(link[8:-1]) for link in links if link.startswith("socket:[")]
            held[pid] = [by_inode[i] for i in inodes if i in by_inode]
        return held

    def wait_for_workers(self, count: int, seconds: float = 30.0) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if len(self.workers()) >= count and self._answers():
                return
            time.sleep(0.1)
        raise AssertionError(
            f"the server did not get back to {count} workers:\n{self.log.read_text()[-3000:]}"
        )

    def _answers(self) -> bool:
        try:
            return self.call("GET", "/healthz", timeout=2).status == 200
        except (OSError, http.client.HTTPException):
            return False


@contextmanager
def served(
    database_url: str, workers: int, folder: Path, settings: dict[str, str] | None = None
) -> Iterator[Server]:
    """`advisor serve --workers N` on a free loopback port, with the default settings but those
    given, stopped (and its process group ended) when the block ends, whatever happened in it."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("ADVISOR_")}
    env |= {"ADVISOR_DATABASE_URL": database_url, "ADVISOR_INSTANCE_PATH": str(folder), **(settings or {})}
    log = folder / f"serve-{port}.log"
    command = "import sys; from advisor.cli import main; sys.exit(main())"
    args = ["serve", "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers)]
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-c", command, *args], env=env, stdout=out, stderr=out, start_new_session=True
        )
    server = Server(process, port, log)
    try:
        _wait_until_up(server)
        yield server
    finally:
        _stop(process)


def _wait_until_up(server: Server) -> None:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            break
        if server._answers():
            return
        time.sleep(0.1)
    raise AssertionError(
        f"the service did not start on port {server.port}:\n{server.log.read_text()[-3000:]}"
    )


def _stop(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM to gunicorn's master (it stops its workers); if it does not stop in time, SIGKILL
    to the process group this test started for it."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=STOP_SECONDS)
            return
        except subprocess.TimeoutExpired:
            pass
    with suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=STOP_SECONDS)
