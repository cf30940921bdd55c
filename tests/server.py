"""``archive serve`` in a child process on a free localhost port, for tests that need a
real server (the browser, ingest while serving)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from app.config import Settings
from tests.databases import archive_env


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until_up(url: str, server: subprocess.Popen[bytes], timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"the server exited with {server.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=1) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"the server did not answer {url} within {timeout} s")


@contextmanager
def serving(settings: Settings, log: Path, *options: str) -> Iterator[str]:
    """Serve the archive of ``settings``; yields the base URL."""
    port = free_port()
    env = {**os.environ, **archive_env(settings)}
    command = [sys.executable, "-m", "app.cli", "serve", "--port", str(port), *options]
    url = f"http://127.0.0.1:{port}"
    with log.open("wb") as out:
        server = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT)
        try:
            wait_until_up(f"{url}/healthz", server)
            yield url
        finally:
            server.terminate()
            server.wait(timeout=10)
