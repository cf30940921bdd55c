"""The real server under load: start-up time, requests per second, latency, errors, RSS.

wrk (Debian package ``wrk``) drives the load when it is installed; otherwise an asyncio
client with the same number of keep-alive connections does.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from bench.measure import percentiles, tree_memory_mb, tree_rss_mb

HERE = Path(__file__).resolve().parent
CONNECTIONS = 16
READY_TIMEOUT = 120  # seconds


@dataclass(frozen=True, slots=True)
class Load:
    name: str
    requests: int
    seconds: float
    p50_ms: float
    p95_ms: float
    max_ms: float
    errors: int
    client: str

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Server:
    """``archive serve`` on a free port; ``ready_seconds`` is spawn to first /healthz.
    ``environ`` adds to the server's environment (``ARCHIVE_DATABASE_URL``, say)."""

    def __init__(
        self, data_dir: Path, workers: int = 1, environ: dict[str, str] | None = None
    ) -> None:
        self.workers = workers
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {**os.environ, **(environ or {}), "ARCHIVE_DATA_DIR": str(data_dir)}
        command = [sys.executable, "-m", "app.cli", "serve", "--port", str(self.port)]
        command += ["--workers", str(workers)]
        self.log = tempfile.TemporaryFile()  # noqa: SIM115 (closed by stop)
        started = time.perf_counter()
        self.process = subprocess.Popen(command, env=env, stdout=self.log, stderr=self.log)
        last = "no answer"
        while True:
            if self.process.poll() is not None:
                raise RuntimeError("the server exited during start-up")
            if time.perf_counter() - started > READY_TIMEOUT:
                self.stop()
                raise RuntimeError(f"the server was not ready after {READY_TIMEOUT} s: {last}")
            try:
                with urllib.request.urlopen(f"{self.url}/healthz", timeout=1) as response:
                    if response.status == 200:
                        break
            except urllib.error.HTTPError as exc:  # 503: say what /healthz said
                last = exc.read().decode("utf-8", "replace")
                time.sleep(0.05)
            except OSError:
                time.sleep(0.02)
        self.ready_seconds = time.perf_counter() - started

    def rss_mb(self) -> float:
        return tree_rss_mb(self.process.pid)

    def memory_mb(self) -> dict[str, float]:
        return tree_memory_mb(self.process.pid)

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)
        self.log.close()


def _wrk(name: str, base: str, paths: list[str], seconds: int) -> Load:
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as fh:
        fh.write("\n".join(paths) + "\n")
        listing = fh.name
    try:
        out = subprocess.run(
            [
                *("wrk", "-t2", f"-c{CONNECTIONS}", f"-d{seconds}s", "--timeout", "5s"),
                *("-s", str(HERE / "wrk.lua"), base),
            ],
            env={**os.environ, "WRK_PATHS": listing},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    finally:
        os.unlink(listing)
    figures = json.loads(out.strip().splitlines()[-1])
    return Load(
        name,
        figures["requests"],
        figures["seconds"],
        figures["p50_ms"],
        figures["p95_ms"],
        figures["max_ms"],
        figures["errors"],
        "wrk",
    )


async def _client(host: str, port: int, paths: list[str], until: float, out: list[float]) -> int:
    reader, writer = await asyncio.open_connection(host, port)
    errors = 0
    i = 0
    while time.perf_counter() < until:
        path = paths[i % len(paths)]
        i += 1
        started = time.perf_counter()
        writer.write(f"GET {path} HTTP/1.1\r\nHost: {host}\r\n\r\n".encode())
        await writer.drain()
        status = await reader.readline()
        length = 0
        while (line := await reader.readline()) not in (b"\r\n", b""):
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":")[1])
        await reader.readexactly(length)
        out.append((time.perf_counter() - started) * 1000)
        if b" 200 " not in status:
            errors += 1
    writer.close()
    return errors


def _asyncio(name: str, base: str, paths: list[str], seconds: int) -> Load:
    host, port = base.split("//")[1].split(":")
    latencies: list[float] = []

    async def main() -> int:
        until = time.perf_counter() + seconds
        tasks = [_client(host, int(port), paths, until, latencies) for _ in range(CONNECTIONS)]
        return sum(await asyncio.gather(*tasks))

    started = time.perf_counter()
    errors = asyncio.run(main())
    elapsed = time.perf_counter() - started
    cut = percentiles(latencies)
    return Load(
        name, len(latencies), elapsed, cut["p50"], cut["p95"], cut["max"], errors, "asyncio"
    )


def load(name: str, base: str, paths: list[str], seconds: int) -> Load:
    if shutil.which("wrk"):
        return _wrk(name, base, paths, seconds)
    return _asyncio(name, base, paths, seconds)
