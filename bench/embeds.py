"""What one embedded chart costs the server: a published static page against an app page.

    python bench/embeds.py --url http://127.0.0.1:8620 --static /app/static/published/X/chart.html

For --seconds each, --clients concurrent readers (1) fetch the static file again and again over
keep-alive connections (what an iframe of the published page costs: one file request), then
(2) open the app page again and again, each open a new session speaking Streamlit's websocket protocol
(`bench/load.py`'s Session) until its script run finished (what an iframe of the app costs, before
the browser's own requests for Streamlit's JavaScript). Prints requests per second for each, their
ratio and the server's CPU seconds per request. Loopback addresses only.
"""

from __future__ import annotations

import argparse
import asyncio
import http.client
import json
import os
import threading
import time
from urllib.parse import urlsplit

from websockets.asyncio.client import connect

try:  # `python bench/embeds.py` (the script's folder on the path) or `python -m bench.embeds`
    import load
except ImportError:  # pragma: no cover — run as a module
    from bench import load


def static_rps(url: str, path: str, clients: int, seconds: float) -> dict:
    """Requests per second for one static file, `clients` threads on keep-alive connections."""
    parts = urlsplit(url)
    done, failed, size = [0] * clients, [0] * clients, [0]
    stop = time.monotonic() + seconds

    def reader(i: int) -> None:
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
        while time.monotonic() < stop:
            conn.request("GET", path)
            r = conn.getresponse()
            body = r.read()
            if r.status == 200:
                done[i] += 1
                size[0] = len(body)
            else:
                failed[i] += 1
        conn.close()

    threads = [threading.Thread(target=reader, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return {"requests": sum(done), "failed": sum(failed), "bytes": size[0], "per_s": round(sum(done) / seconds, 1)}


async def app_rps(url: str, page: str, clients: int, seconds: float, timeout: float) -> dict:
    """App page opens per second: each a new session, from connecting to its script run's end."""
    stats = load.Stats()
    stop = time.monotonic() + seconds
    opened = [0]

    async def reader(i: int) -> None:
        n = 0
        while time.monotonic() < stop:
            session = load.Session(i * 100_000 + n, page, stats, timeout, think=1)
            n += 1
            async with connect(
                load.stream_url(url),
                subprotocols=["streamlit"],
                max_size=None,
                origin=load.origin(url),
                open_timeout=timeout,
                ping_interval=None,
            ) as ws:
                _, ms = await session.rerun(ws)
            stats.opens.append(ms)
            opened[0] += 1

    t0 = time.monotonic()
    await asyncio.gather(*(reader(i) for i in range(clients)))
    wall = time.monotonic() - t0
    return {
        "opens": opened[0],
        "errors": len(stats.errors),
        "error_examples": stats.errors[:3],
        "open_p50_ms": load.percentile(stats.opens, 50),
        "per_s": round(opened[0] / wall, 1),
    }


def measure(args: argparse.Namespace) -> dict:
    pid = load.listening_pid(urlsplit(args.url).port)
    cpu0 = load.cpu_seconds(pid) if pid else 0.0
    static = static_rps(args.url, args.static, args.clients, args.seconds)
    cpu1 = load.cpu_seconds(pid) if pid else 0.0
    app = asyncio.run(app_rps(args.url, args.page, args.clients, args.seconds, args.timeout))
    cpu2 = load.cpu_seconds(pid) if pid else 0.0
    if pid:
        static["server_cpu_ms_each"] = round(1000 * (cpu1 - cpu0) / max(1, static["requests"]), 2)
        app["server_cpu_ms_each"] = round(1000 * (cpu2 - cpu1) / max(1, app["opens"]), 1)
    return {
        "url": args.url,
        "static_path": args.static,
        "app_page": args.page or "(default page)",
        "clients": args.clients,
        "seconds": args.seconds,
        "static": static,
        "app": app,
        "static_per_app": round(static["per_s"] / app["per_s"], 1) if app["per_s"] else None,
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
    }


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--url", required=True, help="the app, e.g. http://127.0.0.1:8501 (loopback only)")
    p.add_argument("--static", required=True, help="the published page's path, e.g. /app/static/published/…")
    p.add_argument("--page", default="", help="the app page to open, by URL path (default: Overview)")
    p.add_argument("--clients", type=int, default=8, help="concurrent readers (default 8)")
    p.add_argument("--seconds", type=float, default=15, help="seconds for each of the two (default 15)")
    p.add_argument("--timeout", type=float, default=60, help="seconds an app page may take (default 60)")
    args = p.parse_args(argv)
    args.url = load.check_url(args.url)
    if not args.static.startswith("/") or not 1 <= args.clients <= 200 or not 0 < args.seconds <= 600:
        p.error("--static is a path (starting with /), --clients 1–200, --seconds 0–600")
    return args


def main(argv: list[str] | None = None) -> int:
    result = measure(parse_args(argv))
    print(json.dumps(result, indent=2))
    return 1 if result["static"]["failed"] or result["app"]["errors"] else 0


if __name__ == "__main__":
    raise SystemExit(main())
