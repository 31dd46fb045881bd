"""A closed-loop HTTP/1.1 load generator for loopback servers, light enough to share two cores with the server.

Each client keeps one connection alive (for `REQUESTS_PER_CONNECTION` requests) and sends its next request as soon
as the previous answer is complete, so the number of requests in flight is the number of clients. It is plain
asyncio with protocols (no stream objects, no parsing beyond the status line and Content-Length): a request costs
the client a few tens of microseconds.
"""

import asyncio
import ipaddress
import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit

REQUEST_TIMEOUT = 10.0  # seconds; a response slower than this counts as an error
# A client opens a new connection after this many requests, as browsers and proxies do (nginx's keepalive_requests):
# otherwise the connections stay with whichever server process accepted them in the first burst, and a run in which
# one process got most of them measures that process's one core.
REQUESTS_PER_CONNECTION = 100


@dataclass
class Result:
    url: str
    seconds: float
    latencies_ns: list[int] = field(default_factory=list)
    errors: int = 0
    succeeded_total: int = 0  # successful answers in the warm-up and after the window too (for writes: all stored)

    @property
    def rps(self) -> float:
        return len(self.latencies_ns) / self.seconds

    def percentile_ms(self, p: float) -> float:
        """Nearest-rank percentile of the successful requests' latencies."""
        ordered = sorted(self.latencies_ns)
        if not ordered:
            return float("nan")
        return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))] / 1e6


class _Connection(asyncio.Protocol):
    """One keep-alive connection that answers one request at a time through `send()`."""

    def __init__(self):
        self.transport = None
        self.buffer = bytearray()
        self.waiter = None
        self.status = 0
        self.body_end = None  # index in `buffer` where the current response ends, once the head is read
        self.keep_alive = True

    def connection_made(self, transport):
        self.transport = transport

    def data_received(self, data):
        self.buffer += data
        if self.body_end is None:
            head_end = self.buffer.find(b"\r\n\r\n")
            if head_end < 0:
                return
            head = bytes(self.buffer[:head_end]).lower()
            self.status = int(head[9:12])
            self.keep_alive = b"\r\nconnection: close" not in head
            start = head.find(b"\r\ncontent-length:")
            if start < 0:
                self._finish(ConnectionError("response without Content-Length"))
                return
            end = head.find(b"\r\n", start + 2)
            self.body_end = head_end + 4 + int(head[start + 17 : end if end > 0 else len(head)])
        if len(self.buffer) >= self.body_end:
            self._finish(self.status)

    def connection_lost(self, exc):
        self._finish(exc or ConnectionError("connection closed"))

    def _finish(self, outcome):
        if self.waiter is not None and not self.waiter.done():
            if isinstance(outcome, BaseException):
                self.waiter.set_exception(outcome)
            else:
                self.waiter.set_result(outcome)

    def send(self, request: bytes) -> asyncio.Future:
        self.buffer.clear()
        self.body_end = None
        self.waiter = asyncio.get_running_loop().create_future()
        self.transport.write(request)
        return self.waiter


def loopback_target(url: str) -> tuple[str, int, bytes]:
    """Host, port and raw request for `url`; refuses anything but a loopback address, so load stays on this machine."""
    parts = urlsplit(url)
    try:
        loopback = parts.scheme == "http" and ipaddress.ip_address(parts.hostname or "").is_loopback
    except ValueError:
        loopback = False
    if not loopback:
        raise ValueError(f"{url}: only http:// on a loopback address (127.0.0.0/8 or [::1]) may be loaded")
    port = parts.port or 80
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    request = f"GET {path} HTTP/1.1\r\nHost: {parts.netloc}\r\nUser-Agent: civiclink-bench\r\n\r\n".encode()
    return parts.hostname, port, request


async def _client(host, port, request, deadline, record, result, ok_statuses):
    loop = asyncio.get_running_loop()
    connection, sent = None, 0
    while loop.time() < deadline:
        started = time.perf_counter_ns()
        try:
            reuse = sent < REQUESTS_PER_CONNECTION and connection is not None and connection.keep_alive
            if not reuse or connection.transport.is_closing():
                if connection is not None:
                    connection.transport.close()
                _, connection = await loop.create_connection(_Connection, host, port)
                sent = 0
            sent += 1
            status = await asyncio.wait_for(connection.send(request), REQUEST_TIMEOUT)
        except (OSError, TimeoutError):
            if connection is not None:
                connection.transport.close()
            connection = None
            ok = False
            await asyncio.sleep(0.01)  # a refused or broken connection must not turn the client into a busy loop
        else:
            ok = status in ok_statuses
            result.succeeded_total += ok
        if not record(loop.time()):
            continue
        if ok:
            result.latencies_ns.append(time.perf_counter_ns() - started)
        else:
            result.errors += 1
    if connection is not None:
        connection.transport.close()


async def _run(url, clients, seconds, warmup, on_window, request, ok_statuses):
    host, port, get_request = loopback_target(url)
    request = request or get_request
    loop = asyncio.get_running_loop()
    measure_from = loop.time() + warmup
    deadline = measure_from + seconds
    result = Result(url=url, seconds=seconds)

    def record(now):  # only responses that arrive inside the measured window count
        return measure_from <= now <= deadline

    if on_window:
        loop.call_at(measure_from, on_window, "start")
        loop.call_at(deadline, on_window, "end")
    tasks = [_client(host, port, request, deadline, record, result, ok_statuses) for _ in range(clients)]
    await asyncio.wait_for(asyncio.gather(*tasks), warmup + seconds + REQUEST_TIMEOUT + 5)
    return result


def run(
    url: str,
    clients: int,
    seconds: float,
    warmup: float,
    on_window=None,
    request: bytes | None = None,
    ok_statuses: tuple[int, ...] = (200,),
) -> Result:
    """Load `url` with `clients` concurrent connections for `warmup` + `seconds` seconds; measure the last `seconds`.

    `request` replaces the plain GET (e.g. a form POST); an answer counts as a success when its status is in
    `ok_statuses`. `on_window("start")` and `on_window("end")` are called when the measured window opens and closes.
    """
    return asyncio.run(_run(url, clients, seconds, warmup, on_window, request, ok_statuses))


def fetch(url: str) -> tuple[int, bytes]:
    """One request, for checks before and after the run: the status and the body."""

    async def once():
        host, port, request = loopback_target(url)
        _, connection = await asyncio.get_running_loop().create_connection(_Connection, host, port)
        try:
            status = await asyncio.wait_for(connection.send(request), REQUEST_TIMEOUT)
            return status, bytes(connection.buffer[connection.buffer.find(b"\r\n\r\n") + 4 :])
        finally:
            connection.transport.close()

    return asyncio.run(once())
