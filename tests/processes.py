"""Real ``sdm`` commands in child processes, for the tests that need one running beside the test: a load
killed (SIGKILL, no clean-up) at a chosen moment, to show it leaves the warehouse before or after it; ``sdm
serve`` and ``sdm demo`` running while the test asks them something.

Every child is reaped and its pipes are closed before the test that started it ends (``stop``, ``running``):
a child left running, or ended but never waited for, is garbage-collected later, in whichever test runs then,
as a ResourceWarning ("subprocess 1234 is still running", "unclosed file") that fails that unrelated test.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from typing import Any

SDM = [sys.executable, "-c", "from sdmonitor.cli import main; main()"]
GRACE = 15.0  # seconds a child has to exit after SIGTERM before it is killed


def start_sdm(*args: str, env: Mapping[str, str] | None = None) -> subprocess.Popen[bytes]:
    """Start ``sdm ARGS`` in a child process, its output discarded."""
    return subprocess.Popen([*SDM, *args], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def sdm_environment(**values: str) -> dict[str, str]:
    """This process's environment without the caller's SDM_* variables, plus ``values``."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("SDM_")}
    environment.update(values)
    return environment


def stop(process: subprocess.Popen[Any], *, grace: float = GRACE) -> tuple[Any, Any]:
    """End a child for good and return what it still wrote (stdout, stderr; None for a stream it was not
    given a pipe for): SIGTERM, up to ``grace`` seconds to exit, then SIGKILL. Whatever happens (a child that
    ignores SIGTERM, a pipe held open by a grandchild), the child is reaped and its pipes are closed."""
    out: Any = None
    err: Any = None
    try:
        if process.poll() is None:
            process.terminate()
        try:
            out, err = process.communicate(timeout=grace)
        except subprocess.TimeoutExpired:
            process.kill()
            with suppress(subprocess.TimeoutExpired):  # a grandchild holds the pipes: stop reading them
                out, err = process.communicate(timeout=grace)
    finally:
        if process.poll() is None:
            process.kill()
        process.wait()
        for pipe in (process.stdin, process.stdout, process.stderr):
            if pipe is not None:
                pipe.close()
    return out, err


@dataclass
class Child:
    """A running ``sdm`` (``running``): its process, and after the block what it wrote."""

    process: subprocess.Popen[str]
    out: str = ""
    err: str = ""


@contextmanager
def running(*args: str, env: Mapping[str, str]) -> Iterator[Child]:
    """``sdm ARGS`` in a child process with its output in text pipes, stopped (``stop``) when the block ends,
    however it ends; ``out`` and ``err`` then hold what it wrote."""
    child = Child(subprocess.Popen([*SDM, *args], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                   text=True))  # fmt: skip
    try:
        yield child
    finally:
        out, err = stop(child.process)
        child.out, child.err = out or "", err or ""


def kill_when(
    process: subprocess.Popen[bytes],
    ready: Callable[[], bool] = lambda: True,
    *,
    delay: float = 0.0,
    timeout: float = 60,
) -> bool:
    """Wait until ``ready()`` (or the process ends, or ``timeout`` seconds pass), then ``delay`` seconds more,
    then kill the process and reap it. Returns whether it was still running when killed."""
    try:
        deadline = time.monotonic() + timeout
        while not ready() and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.001)
        time.sleep(delay)
        alive = process.poll() is None
        process.send_signal(signal.SIGKILL)
    finally:
        if process.poll() is None:
            process.kill()
        process.wait()
    return alive
