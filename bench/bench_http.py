"""HTTP load on loopback: POST /api/v1/assess (budget: >= 200 req/s, p99 <= 50 ms, zero errors).

The server is uvicorn in its own process(es); the load generator is a small asyncio client with
keep-alive connections (hand-written: no load tool ships on a fresh machine, and httpx's own overhead
would dominate). Requests cycle through 64 random designs. Baseline in the same run: GET /api/v1/levers.
Bounded in count and time; loopback only.
"""

from __future__ import annotations

import asyncio
import json
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tests.web.live import live_server  # noqa: E402

from bench.bench_assess import random_design  # noqa: E402

CONNECTIONS = 8
REQUESTS = 3000
DURATION_CAP_S = 60


async def request(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, host: str, method: str, path: str,
                  body: bytes) -> tuple[float, int]:
    """One HTTP/1.1 keep-alive request; returns (seconds, status code)."""
    head = (f"{method} {path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\n\r\n").encode()
    t = time.perf_counter()
    writer.write(head + body)
    await writer.drain()
    status_line = await reader.readline()
    length = 0
    while True:
        line = await reader.readline()
        if line in (b"\r\n", b""):
            break
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":")[1])
    await reader.readexactly(length)
    return time.perf_counter() - t, int(status_line.split()[1]) if status_line else 0


async def worker(host: str, port: int, bodies: list[bytes], path: str, method: str, lat: list[float],
                 errors: list[str], counter: list[int], deadline: float) -> None:
    reader, writer = await asyncio.open_connection(host, port)
    try:
        while counter[0] < REQUESTS and time.perf_counter() < deadline:
            i = counter[0]
            counter[0] += 1
            body = bodies[i % len(bodies)] if method == "POST" else b""
            seconds, code = await request(reader, writer, host, method, path, body)
            lat.append(seconds)
            if code != 200:
                errors.append(str(code))
    finally:
        writer.close()


async def load(base: str, path: str, method: str, bodies: list[bytes],
               connections: int = CONNECTIONS) -> tuple[float, list[float], list[str]]:
    """Closed loop: each connection sends its next request as soon as the previous answer arrived."""
    host, port = base.replace("http://", "").split(":")
    lat: list[float] = []
    errors: list[str] = []
    counter = [0]
    t0 = time.perf_counter()
    deadline = t0 + DURATION_CAP_S
    await asyncio.gather(*(worker(host, int(port), bodies, path, method, lat, errors, counter, deadline)
                           for _ in range(connections)))
    return time.perf_counter() - t0, lat, errors


async def paced(base: str, bodies: list[bytes], rate: float, seconds: float) -> tuple[float, list[float], list[str]]:
    """Open loop at a fixed offered rate (requests start on schedule, on a pool of connections)."""
    host, port = base.replace("http://", "").split(":")
    lat: list[float] = []
    errors: list[str] = []
    pool: asyncio.Queue = asyncio.Queue()
    for _ in range(32):
        pool.put_nowait(await asyncio.open_connection(host, int(port)))

    async def one(i: int) -> None:
        reader, writer = await pool.get()
        seconds, code = await request(reader, writer, host, "POST", "/api/v1/assess", bodies[i % len(bodies)])
        lat.append(seconds)
        if code != 200:
            errors.append(str(code))
        pool.put_nowait((reader, writer))

    n = int(rate * seconds)
    t0 = time.perf_counter()
    tasks = []
    for i in range(n):
        delay = t0 + i / rate - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(one(i)))
    await asyncio.gather(*tasks)
    wall = time.perf_counter() - t0
    while not pool.empty():
        _, w = pool.get_nowait()
        w.close()
    return wall, lat, errors


def report(name: str, wall: float, lat: list[float], errors: list[str]) -> None:
    xs = sorted(lat)
    p50, p99 = statistics.median(xs) * 1000, xs[int(0.99 * (len(xs) - 1))] * 1000
    print(f"{name}: {len(xs)} requests in {wall:.1f} s = {len(xs) / wall:.0f} req/s, median {p50:.1f} ms, "
          f"p99 {p99:.1f} ms, errors {len(errors)}")


def main() -> None:
    rng = random.Random(7)
    bodies = [json.dumps(random_design(rng)).encode() for _ in range(64)]
    workers = int(sys.argv[1]) if len(sys.argv) > 1 else 2
    with tempfile.TemporaryDirectory() as tmp, live_server(Path(tmp) / "b.db", workers=workers) as base:
        asyncio.run(load(base, "/api/v1/assess", "POST", bodies[:8]))  # warm-up
        print(f"server: uvicorn, {workers} worker(s); client: {CONNECTIONS} keep-alive connections")
        report("baseline GET /api/v1/levers", *asyncio.run(load(base, "/api/v1/levers", "GET", [b""])))
        report("POST /api/v1/assess, closed loop (saturation)", *asyncio.run(load(base, "/api/v1/assess", "POST",
                                                                                   bodies)))
        report("POST /api/v1/assess, open loop at 200 req/s for 10 s", *asyncio.run(paced(base, bodies, 200, 10)))


if __name__ == "__main__":
    main()
