"""A real ``sdm`` in a child process, killed (SIGKILL, no clean-up) at a chosen moment: for the tests that
show a load killed at any moment leaves the warehouse before or after it."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from collections.abc import Callable, Mapping

SDM = [sys.executable, "-c", "from sdmonitor.cli import main; main()"]


def start_sdm(*args: str, env: Mapping[str, str] | None = None) -> subprocess.Popen[bytes]:
    """Start ``sdm ARGS`` in a child process, its output discarded."""
    return subprocess.Popen([*SDM, *args], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def kill_when(
    process: subprocess.Popen[bytes],
    ready: Callable[[], bool] = lambda: True,
    *,
    delay: float = 0.0,
    timeout: float = 60,
) -> bool:
    """Wait until ``ready()`` (or the process ends, or ``timeout`` seconds pass), then ``delay`` seconds more,
    then kill the process and reap it. Returns whether it was still running when killed."""
    deadline = time.monotonic() + timeout
    while not ready() and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.001)
    time.sleep(delay)
    running = process.poll() is None
    process.send_signal(signal.SIGKILL)
    process.wait()
    return running
