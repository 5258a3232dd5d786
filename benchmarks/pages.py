"""How fast `mzkg serve` answers its pages, against a static file server serving the same bytes.

Starts `mzkg serve` and `python -m http.server` (over a folder holding each page's bytes as rendered by mzkg),
warms both, then fetches each page R times from C concurrent clients (default 200 requests, 16 clients) from
each server in turn. Reports the mean time per request and the ratio mzkg / static for every page.

    python benchmarks/pages.py [--requests 200] [--clients 16]
"""

from __future__ import annotations

import argparse
import socket
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

PAGES = [
    "/",
    "/id/programme/shuangbai",
    "/id/report/guangdong-minzheng-2022/statement/2021/assistance-funds",
    "/id/programme/shuangbai?lang=en",
    "/source",
    "/reports",
    "/reports/guangdong-minzheng-2022",
    "/tiers",
    "/indicator?label=%E7%A4%BE%E5%B7%A5%E7%AB%99",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait(url: str) -> None:
    for _ in range(300):
        try:
            httpx.get(url, timeout=1)
            return
        except httpx.HTTPError:
            time.sleep(0.1)
    raise SystemExit(f"{url} did not answer")


def hammer(url: str, requests: int, clients: int) -> float:
    """Seconds per request, `requests` GETs spread over `clients` threads, each with its own connection."""

    def worker(n: int) -> None:
        with httpx.Client(timeout=30) as c:
            for _ in range(n):
                r = c.get(url)
                r.raise_for_status()

    share = [requests // clients + (1 if i < requests % clients else 0) for i in range(clients)]
    start = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        list(pool.map(worker, share))
    return (time.perf_counter() - start) / requests


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--clients", type=int, default=16)
    args = parser.parse_args()
    mzkg_port, static_port = free_port(), free_port()
    serve = subprocess.Popen(
        [sys.executable, "-m", "mzkg", "serve", "--port", str(mzkg_port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    with tempfile.TemporaryDirectory() as tmp:
        static = None
        try:
            base = f"http://127.0.0.1:{mzkg_port}"
            wait(base + "/sparql?query=ASK%7B%7D")
            names = {}
            for i, page in enumerate(PAGES):
                body = httpx.get(base + page, timeout=60).content
                names[page] = f"page-{i}.html"
                (Path(tmp) / names[page]).write_bytes(body)
            static = subprocess.Popen(
                [sys.executable, "-m", "http.server", str(static_port), "--bind", "127.0.0.1", "--directory", tmp],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            sbase = f"http://127.0.0.1:{static_port}"
            wait(sbase + "/")
            print(f"{args.requests} requests per page from {args.clients} concurrent clients\n")
            print(f"{'page':<70} {'bytes':>8} {'mzkg ms':>8} {'static ms':>9} {'ratio':>6}")
            for page in PAGES:
                hammer(base + page, args.clients, args.clients)  # warm: the first render, connections
                hammer(f"{sbase}/{names[page]}", args.clients, args.clients)
                ours = hammer(base + page, args.requests, args.clients)
                theirs = hammer(f"{sbase}/{names[page]}", args.requests, args.clients)
                size = (Path(tmp) / names[page]).stat().st_size
                print(f"{page:<70} {size:>8} {ours * 1000:>8.2f} {theirs * 1000:>9.2f} {ours / theirs:>5.2f}x")
        finally:
            serve.terminate()
            if static is not None:
                static.terminate()


if __name__ == "__main__":
    main()
