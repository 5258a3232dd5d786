"""Whole-process timings of mzkg against the reference tools, interleaved in one run.

    python benchmarks/bench.py [--rounds 7] [--query conference]

Each round runs every command once, in turn, after one warm-up round; the table gives the median wall
time, the ratio to the reference tool, and the peak resident memory of the process (from wait4).
Needs the `test` extra (pyshacl, oxigraph CLI) in the running Python's environment.
"""

from __future__ import annotations

import argparse
import math
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


# Python's default: modules are compiled once and their bytecode cached (the warm-up round writes it).
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def measure(
    cmd: list[str], cwd: Path | None = None, env: dict[str, str] | None = None, timeout: float | None = None
) -> tuple[float, int, int, bytes]:
    """One process: wall seconds (inf when killed at `timeout`), exit code, its own peak RSS (KiB), its stderr."""
    start = time.perf_counter()
    with tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(cmd, cwd=cwd, env=env or ENV, stdout=subprocess.DEVNULL, stderr=err)
        timer = threading.Timer(timeout, proc.kill) if timeout else None
        if timer:
            timer.start()
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        if timer:
            timer.cancel()
        proc.returncode = code = os.waitstatus_to_exitcode(status)
        err.seek(0)
        return (math.inf if timer and code == -9 else seconds), code, usage.ru_maxrss, err.read()


def run(cmd: list[str], cwd: Path) -> tuple[float, int]:
    """Wall seconds and peak RSS (KiB) of one process that must succeed (exit 0 or 1)."""
    seconds, code, rss, err = measure(cmd, cwd)
    if code not in (0, 1):
        raise SystemExit(f"{' '.join(cmd)} failed with {code}: {err.decode()[-400:]}")
    return seconds, rss


def prepare(work: Path, query: str) -> dict[str, list[str]]:
    mzkg = str(BIN / "mzkg")
    dump = work / "mzkg.nq"
    subprocess.run([mzkg, "export", "--format", "nquads", "-o", str(dump)], check=True)
    store = work / "oxigraph-store"
    subprocess.run(
        [str(BIN / "oxigraph"), "load", "--location", str(store), "--file", str(dump)],
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    merged = work / "merged.ttl"
    subprocess.run([mzkg, "export", "--format", "turtle", "-o", str(merged)], check=True)
    # the pyshacl CLI gets every shape mzkg validate uses (core and SHACL-SPARQL), merged into one file.
    # Preparation runs in child processes: this one stays small, because a command started from it
    # inherits its peak memory (Linux keeps the high-water mark across exec).
    shapes = work / "shapes.ttl"
    merge = (
        "import rdflib, sys; g = rdflib.Graph(); [g.parse(f) for f in sys.argv[2:]]; g.serialize(sys.argv[1], format='turtle')"
    )
    subprocess.run([sys.executable, "-c", merge, str(shapes), *map(str, sorted((ROOT / "shapes").glob("*.ttl")))], check=True)
    qfile = work / f"{query}.rq"
    prologue = subprocess.run(
        [sys.executable, "-c", "from mzkg.core.prefixes import sparql_prologue; print(sparql_prologue(), end='')"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    qfile.write_text(prologue + (ROOT / "queries" / f"{query}.rq").read_text(encoding="utf-8"), encoding="utf-8")
    return {
        "mzkg query": [mzkg, "query", query, "--format", "csv"],
        "plain rdflib script": [sys.executable, str(ROOT / "benchmarks" / "rdflib_query.py"), str(ROOT), str(qfile)],
        "oxigraph query (CLI)": [
            str(BIN / "oxigraph"),
            "query",
            "--location",
            str(store),
            "--query-file",
            str(qfile),
            "--results-format",
            "csv",
            "--union-default-graph",
        ],
        "mzkg validate": [mzkg, "validate", "--no-cache"],  # the whole validation, as pyshacl does it
        "mzkg validate (kept result)": [mzkg, "validate"],  # nothing changed since the warm-up round
        "pyshacl CLI": [str(BIN / "pyshacl"), "-s", str(shapes), "-f", "human", str(merged)],
        "mzkg export (nt)": [mzkg, "export", "--format", "nt", "-o", str(work / "out.nt")],
    }


PAIRS = [("mzkg query", "plain rdflib script"), ("mzkg query", "oxigraph query (CLI)"), ("mzkg validate", "pyshacl CLI")]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rounds", type=int, default=7, help="timed rounds after the warm-up (default 7)")
    ap.add_argument("--query", default="conference", help="the named query to time (default: conference)")
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="mzkg-bench-"))
    try:
        cmds = prepare(work, args.query)
        times: dict[str, list[float]] = {k: [] for k in cmds}
        peak: dict[str, int] = dict.fromkeys(cmds, 0)
        for r in range(args.rounds + 1):
            print(f"round {r}/{args.rounds}{' (warm-up)' if r == 0 else ''}", file=sys.stderr)
            for name, cmd in cmds.items():
                seconds, rss = run(cmd, work)
                if r:
                    times[name].append(seconds)
                    peak[name] = max(peak[name], rss)
        med = {k: statistics.median(v) for k, v in times.items()}
        print(f"\n{'command':24s} {'median s':>9s} {'peak MiB':>9s}")
        for name in cmds:
            print(f"{name:24s} {med[name]:9.3f} {peak[name] / 1024:9.1f}")
        print()
        for a, b in PAIRS:
            print(f"{a} / {b}: {med[a] / med[b]:.2f}x")
        print(
            f"\nquery: {args.query}; rounds: {args.rounds} after a warm-up; python {sys.version.split()[0]}; {os.cpu_count()} cores"
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
