"""CPU time over a measured window, read from /proc: what the server spent per request, and what others took.

The two cores are shared by gunicorn, PostgreSQL, Redis, the load generator and, on a developer's machine, whatever
else runs: requests per second alone cannot tell a slower page from a busier machine, CPU time per request can.
"""

import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

TICK = os.sysconf("SC_CLK_TCK")


def process_seconds(pid: int) -> float:
    """User and system CPU seconds of one process, all its threads; 0 once it has gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except FileNotFoundError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICK


def children(pid: int) -> list[int]:
    try:
        return [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except FileNotFoundError:
        return []


def machine_seconds() -> tuple[float, float]:
    """Busy and total CPU seconds of the whole machine since boot, all cores together."""
    user, nice, system, idle, iowait, irq, softirq, steal = (
        int(v) for v in Path("/proc/stat").read_text().split()[1:9]
    )
    busy = user + nice + system + irq + softirq + steal
    return busy / TICK, (busy + idle + iowait) / TICK


@dataclass
class Usage:
    server: float  # CPU seconds of gunicorn, master and workers
    services: float  # of the PostgreSQL backends and Redis that served it
    client: float  # of this process, the load generator
    others: float  # of everything else on the machine
    capacity: float  # CPU seconds the machine had in the window: cores × wall time


class Meter:
    """Called with "start" and "end" around a window (the load generator's `on_window`); `usage` is then what each
    party spent in it."""

    def __init__(self, server_pid: int, service_pids: Callable[[], list[int]]):
        self.server_pid = server_pid
        self.service_pids = service_pids
        self.usage = None

    def _sample(self) -> tuple[float, ...]:
        server = sum(map(process_seconds, [self.server_pid, *children(self.server_pid)]))
        return (server, sum(map(process_seconds, self.pids)), time.process_time(), *machine_seconds())

    def __call__(self, edge: str) -> None:
        if edge == "start":
            self.pids = self.service_pids()
            self.started = self._sample()
            return
        server, services, client, busy, total = (b - a for a, b in zip(self.started, self._sample(), strict=True))
        self.usage = Usage(server, services, client, max(0.0, busy - server - services - client), total)
