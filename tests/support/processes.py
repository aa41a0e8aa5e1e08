"""Running the ``hub`` command and a real uvicorn server from tests."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx

HUB = [sys.executable, "-m", "hub.console.main"]


def hub(*args: str, database_url: str, check: bool = False, timeout: float = 120, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "HUB_DATABASE_URL": database_url, "COLUMNS": "200", **env}
    return subprocess.run([*HUB, *args], capture_output=True, text=True, env=environment, timeout=timeout, check=check)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def running_hub(database_url: str, workers: int = 1, **env: str) -> Iterator[str]:
    """``hub serve`` in a child process; yields its base URL once /healthz answers."""
    port = free_port()
    environment = {**os.environ, "HUB_DATABASE_URL": database_url, "HUB_LOG_LEVEL": "warning", **env}
    proc = subprocess.Popen([*HUB, "serve", "--port", str(port), "--workers", str(workers)], env=environment,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"hub serve exited {proc.returncode}: {proc.stdout.read() if proc.stdout else ''}")
            try:
                if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("hub serve did not answer /healthz within 60 s")
            time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()


def post_json(url: str, payload: Any, **headers: str) -> httpx.Response:
    return httpx.post(url, json=payload, headers=headers, timeout=30)
