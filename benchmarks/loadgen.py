"""Closed-loop HTTP load generators for the endpoint benchmarks: ``wrk`` and an asyncio httpx client.

Both keep ``concurrency`` connections busy for a fixed time, each connection
sending its next request as soon as the previous answer is in, cycling through
a list of requests. They report the requests completed, the failed ones (any
status outside 2xx, any transport error or timeout), latency percentiles and
throughput.

* :func:`run_wrk` drives ``wrk`` (Debian ``wrk``) with a Lua script; it is C,
  so on a 2-core machine it leaves the CPU to the server under test.
* :func:`run_httpx` is pure Python (httpx on asyncio), and its latencies are
  kept per request (the load test uses them); at high request rates the
  client itself becomes the bottleneck.

:func:`ceiling` measures a generator against :class:`TrivialServer`, an
asyncio server that answers every request with two bytes: no server under
test can be measured above that rate.
"""

from __future__ import annotations

import asyncio
import json
import math
import subprocess
import sys
import textwrap
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import httpx

__all__ = ["Request", "Stats", "TrivialServer", "ceiling", "percentile", "run_httpx", "run_wrk"]


@dataclass(frozen=True)
class Request:
    """A GET request: path with its query string, and the ``Accept`` header to send."""

    path: str
    accept: str = "*/*"
    label: str = ""


@dataclass
class Stats:
    """What one closed-loop run measured."""

    requests: int
    failures: int
    duration_s: float
    p50_ms: float
    p99_ms: float
    failure_kinds: dict[str, int] = field(default_factory=dict)

    @property
    def throughput(self) -> float:
        """Completed requests per second (failed ones included)."""
        return self.requests / self.duration_s if self.duration_s else 0.0


def percentile(values: Sequence[float], q: float) -> float:
    """The ``q``-th percentile (0–100) of ``values`` by the nearest-rank method; NaN if empty."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = max(math.ceil(q / 100 * len(ordered)), 1)
    return ordered[rank - 1]


_WRK_SCRIPT = textwrap.dedent("""\
    -- Cycles through the requests of a file, one "ACCEPT<tab>PATH" a line; counts answers outside 2xx.
    local threads = {}
    local requests = {}
    local n = 0
    non2xx = 0

    function setup(thread)
      table.insert(threads, thread)
    end

    function init(args)
      for line in io.lines(args[1]) do
        local accept, path = line:match("^([^\t]*)\t(.*)$")
        requests[#requests + 1] = wrk.format("GET", path, { ["Accept"] = accept })
      end
    end

    function request()
      n = n % #requests + 1
      return requests[n]
    end

    function response(status, headers, body)
      if status < 200 or status > 299 then non2xx = non2xx + 1 end
    end

    function done(summary, latency, requests)
      local bad = 0
      for _, thread in ipairs(threads) do bad = bad + thread:get("non2xx") end
      local e = summary.errors
      io.write(string.format(
        '{"requests": %d, "duration_us": %d, "connect": %d, "read": %d, "write": %d, "timeout": %d, ' ..
        '"non2xx": %d, "p50_us": %d, "p99_us": %d}\\n',
        summary.requests, summary.duration, e.connect, e.read, e.write, e.timeout, bad,
        latency:percentile(50), latency:percentile(99)))
    end
    """)


def run_wrk(
    root: str, requests: Sequence[Request], concurrency: int, duration_s: float, timeout_s: float, workdir: Path
) -> Stats:
    """Load ``root`` with ``wrk`` (one thread, ``concurrency`` connections) for ``duration_s`` seconds.

    A failure is an answer outside 2xx (counted by the script), a timeout, or a
    connect, read or write error.
    """
    workdir.mkdir(parents=True, exist_ok=True)
    script = workdir / "cycle.lua"
    script.write_text(_WRK_SCRIPT, encoding="utf-8")
    lines = workdir / "requests.tsv"
    lines.write_text("".join(f"{r.accept}\t{r.path}\n" for r in requests), encoding="utf-8")
    seconds = max(round(duration_s), 1)
    command = [
        "wrk",
        "-t",
        "1",
        "-c",
        str(concurrency),
        "-d",
        f"{seconds}s",
        "--timeout",
        f"{timeout_s:g}s",
        "-s",
        str(script),
        root,
        "--",
        str(lines),
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=seconds + timeout_s + 30, check=False)
    if done.returncode != 0:
        raise RuntimeError(
            f"wrk against {root} exited with {done.returncode}: {(done.stderr or done.stdout).strip()[-2000:]}"
        )
    summary = json.loads([line for line in done.stdout.splitlines() if line.startswith("{")][-1])
    kinds = {k: summary[k] for k in ("connect", "read", "write", "timeout", "non2xx") if summary[k]}
    completed = summary["requests"]
    return Stats(
        requests=completed,
        failures=sum(kinds.values()),
        duration_s=summary["duration_us"] / 1e6,
        p50_ms=summary["p50_us"] / 1000 if completed else math.nan,
        p99_ms=summary["p99_us"] / 1000 if completed else math.nan,
        failure_kinds=kinds,
    )


@dataclass
class Samples:
    """Per-request records of an httpx run: latency in seconds, and how each one ended."""

    latencies: list[float] = field(default_factory=list)
    outcomes: Counter[str] = field(default_factory=Counter)
    by_label: dict[str, list[float]] = field(default_factory=dict)

    def add(self, label: str, latency: float, outcome: str) -> None:
        self.latencies.append(latency)
        self.outcomes[outcome] += 1
        self.by_label.setdefault(label, []).append(latency)


async def _client(
    client: httpx.AsyncClient, requests: Sequence[Request], start: int, deadline: float, samples: Samples, stride: int
) -> None:
    n = start
    while time.perf_counter() < deadline:
        request = requests[n % len(requests)]
        n += stride
        began = time.perf_counter()
        try:
            response = await client.get(request.path, headers={"Accept": request.accept})
            await response.aread()
            outcome = "ok" if 200 <= response.status_code < 300 else f"HTTP {response.status_code}"
        except httpx.TimeoutException:
            outcome = "timeout"
        except httpx.TransportError as exc:
            outcome = type(exc).__name__
        samples.add(request.label, time.perf_counter() - began, outcome)


async def _run_httpx(
    root: str, requests: Sequence[Request], concurrency: int, duration_s: float, timeout_s: float
) -> tuple[Samples, float]:
    samples = Samples()
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=root, timeout=timeout_s, limits=limits) as client:
        began = time.perf_counter()
        deadline = began + duration_s
        await asyncio.gather(
            *(_client(client, requests, i, deadline, samples, concurrency) for i in range(concurrency))
        )
        return samples, time.perf_counter() - began


def run_httpx(
    root: str, requests: Sequence[Request], concurrency: int, duration_s: float, timeout_s: float
) -> tuple[Stats, Samples]:
    """Load ``root`` with ``concurrency`` httpx clients on one event loop for ``duration_s`` seconds."""
    samples, elapsed = asyncio.run(_run_httpx(root, requests, concurrency, duration_s, timeout_s))
    failures = {k: v for k, v in samples.outcomes.items() if k != "ok"}
    stats = Stats(
        requests=len(samples.latencies),
        failures=sum(failures.values()),
        duration_s=elapsed,
        p50_ms=percentile(samples.latencies, 50) * 1000,
        p99_ms=percentile(samples.latencies, 99) * 1000,
        failure_kinds=failures,
    )
    return stats, samples


_TRIVIAL_SERVER = textwrap.dedent("""\
    import asyncio, sys

    ANSWER = b"HTTP/1.1 200 OK\\r\\nContent-Type: text/plain\\r\\nContent-Length: 2\\r\\n\\r\\nok"

    class Trivial(asyncio.Protocol):
        def connection_made(self, transport):
            self.transport, self.buffer = transport, b""

        def data_received(self, data):
            self.buffer += data
            while b"\\r\\n\\r\\n" in self.buffer:
                _, self.buffer = self.buffer.split(b"\\r\\n\\r\\n", 1)
                self.transport.write(ANSWER)

    async def main():
        server = await asyncio.get_running_loop().create_server(Trivial, "127.0.0.1", 0)
        print(server.sockets[0].getsockname()[1], flush=True)
        await server.serve_forever()

    asyncio.run(main())
    """)


class TrivialServer:
    """A subprocess that answers every HTTP/1.1 request with ``ok`` (GET only, keep-alive)."""

    def __enter__(self) -> str:
        self.process = subprocess.Popen([sys.executable, "-c", _TRIVIAL_SERVER], stdout=subprocess.PIPE, text=True)
        assert self.process.stdout is not None
        port = int(self.process.stdout.readline())
        return f"http://127.0.0.1:{port}"

    def __exit__(self, *exc: object) -> None:
        self.process.kill()
        self.process.wait()


def ceiling(generator: Callable[[str, Sequence[Request], int], Stats], concurrency: int) -> Stats:
    """What ``generator(root, requests, concurrency)`` reaches against :class:`TrivialServer`."""
    with TrivialServer() as root:
        return generator(root, [Request("/", "text/plain")], concurrency)
