"""THE limits of every network operation: an overall deadline and a size cap.

httpx's timeouts are per read: a server that sends one byte every few seconds never trips
them, and a body of endless or 10 GB grows memory without end. Every Proxmox request (check,
snapshot, check --live, plan --live, setup's credential check) and every download (omnictl,
checksums) therefore also runs under:

* an overall deadline for the whole operation, `$OMNI_SCALE_NETWORK_DEADLINE` seconds
  (default 120; a Proxmox client's deadline covers all its requests, retries included);
* a cap on each answer's size (MAX_API_BODY for Proxmox, the download's own caps).
"""

from __future__ import annotations

import asyncio
import os
import signal
import threading
import time
from collections.abc import Coroutine, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

from omni_scale.errors import EnvironmentProblem

T = TypeVar("T")

DEADLINE_ENV = "OMNI_SCALE_NETWORK_DEADLINE"
DEFAULT_DEADLINE_S = 120.0
MAX_API_BODY = 64 << 20  # 64 MiB: /cluster/resources of 10,000 VMs is ~10 MiB


def deadline_seconds(default: float = DEFAULT_DEADLINE_S) -> float:
    """The overall deadline: $OMNI_SCALE_NETWORK_DEADLINE when a positive number, else default."""
    raw = os.environ.get(DEADLINE_ENV, "")
    try:
        value = float(raw)
    except ValueError:
        return default
    return value if 0 < value < 86_400 else default


class Deadline:
    """A point in time (monotonic clock) an operation must finish by."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.at = time.monotonic() + seconds

    def remaining(self) -> float:
        return self.at - time.monotonic()

    @property
    def expired(self) -> bool:
        return self.remaining() <= 0


class DeadlineExceeded(Exception):
    """The overall deadline of a blocking network operation passed (see `hard_deadline`)."""


@contextmanager
def hard_deadline(seconds: float) -> Iterator[Deadline]:
    """Run a blocking (sync httpx) operation under an overall deadline.

    In the main thread on POSIX a SIGALRM timer interrupts even a read that is blocked waiting
    for the next trickled byte, raising DeadlineExceeded there; elsewhere the caller checks
    `deadline.expired` between chunks (a stall is then bounded by the per-read timeout).
    """
    deadline = Deadline(seconds)
    usable = hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if not usable:
        yield deadline
        return
    other = signal.getitimer(signal.ITIMER_REAL)[0]  # someone else's timer (a test runner's)
    if 0 < other <= seconds:
        yield deadline  # theirs fires first anyway: leave it alone
        return

    def expire(signum: int, frame: Any) -> None:
        raise DeadlineExceeded(f"no complete answer within {seconds:g}s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield deadline
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if other > 0:  # give the other timer back what is left of it
            used = seconds - max(deadline.remaining(), 0)
            signal.setitimer(signal.ITIMER_REAL, max(other - used, 0.001))


def run_within(work: Coroutine[Any, Any, T], seconds: float, *, late: str, hint: str) -> T:
    """Run `work` to its end, or raise EnvironmentProblem(`late` + "within Ns") after `seconds`."""

    async def bounded() -> T:
        return await asyncio.wait_for(work, seconds)

    try:
        return asyncio.run(bounded())
    except TimeoutError:
        raise EnvironmentProblem(f"{late} within {seconds:g}s", hint=hint) from None
