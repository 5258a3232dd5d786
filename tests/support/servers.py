"""Real triple stores for the tests: an Oxigraph server and a Virtuoso server on loopback ports.

A missing server binary skips the test locally with the reason; under CI (CI=true) it fails instead.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

VIRTUOSO_INI = """\
[Database]
DatabaseFile = {dir}/virtuoso.db
ErrorLogFile = {dir}/virtuoso.log
LockFile = {dir}/virtuoso.lck
TransactionFile = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
MaxCheckpointRemap = 2000
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {dir}/virtuoso-temp.db
TransactionFile = {dir}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
LiteMode = 0
DisableUnixSocket = 1
DirsAllowed = ., {dir}
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
CheckpointInterval = 60

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {dir}
MaxClientConnections = 10
ServerThreads = 10

[SPARQL]
ResultSetMaxRows = 100000
MaxQueryExecutionTime = 60
"""


def nothing_arrived(sock: socket.socket, wait: float | None = None) -> bool:
    """Whether a listening socket (the `listener` fixture) was left alone: no connection waits to be accepted
    (within `wait` seconds, else the socket's own timeout)."""
    if wait is not None:
        sock.settimeout(wait)
    try:
        conn, _ = sock.accept()
    except TimeoutError:
        return True
    conn.close()
    return False


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def need(binary: str, how: str) -> str:
    found = shutil.which(binary, path=os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")]))
    if found:
        return found
    reason = f"{binary} is not installed ({how})"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(reason + "; CI must install it")
    pytest.skip(reason)


def wait_for(url: str, proc: subprocess.Popen, seconds: float = 90.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with code {proc.returncode} before answering {url}")
        try:
            with urllib.request.urlopen(url, timeout=2) as resp:
                if resp.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"server did not answer {url} within {seconds} s")


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def start_oxigraph(tmp: Path) -> tuple[subprocess.Popen, str]:
    exe = need("oxigraph", "pip install oxigraph")
    port = free_port()
    proc = subprocess.Popen(
        [exe, "serve", "--location", str(tmp / "oxigraph"), "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(f"{base}/query?query=ASK%7B%7D", proc)
    except RuntimeError:
        stop(proc)
        raise
    return proc, base


def start_virtuoso(tmp: Path) -> tuple[subprocess.Popen, str, int]:
    exe = need("virtuoso-t", "apt-get install virtuoso-opensource-7-bin")
    need("isql-vt", "apt-get install virtuoso-opensource-7-bin")
    vdir = tmp / "virtuoso"
    vdir.mkdir()
    sql_port, http_port = free_port(), free_port()
    ini = vdir / "virtuoso.ini"
    ini.write_text(VIRTUOSO_INI.format(dir=vdir, sql_port=sql_port, http_port=http_port), encoding="utf-8")
    proc = subprocess.Popen(
        [exe, "+foreground", "+configfile", str(ini)], cwd=vdir, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    base = f"http://127.0.0.1:{http_port}"
    try:
        wait_for(f"{base}/sparql?query=ASK%7B%7D", proc, seconds=120)
    except RuntimeError:
        stop(proc)
        raise
    return proc, base, sql_port


def stop_virtuoso(proc: subprocess.Popen, sql_port: int) -> None:
    isql = shutil.which("isql-vt")
    if isql and proc.poll() is None:
        subprocess.run(
            [isql, f"127.0.0.1:{sql_port}", "dba", "dba", "exec=shutdown;"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            timeout=60,
            check=False,
        )
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=60)
    stop(proc)


# --- mzkg serve, as the load and stop tests run it -------------------------------------------------------------

RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"  # a cross product: runs until stopped


def serve_mzkg(*extra: str) -> tuple[subprocess.Popen, str]:
    """`mzkg serve` on a free port with these options, once it answers: the process and its /sparql URL."""
    port = free_port()
    exe = Path(sys.executable).parent / "mzkg"
    proc = subprocess.Popen(
        [str(exe), "serve", "--port", str(port), *extra], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    base = f"http://127.0.0.1:{port}/sparql"
    wait_for(base + "?query=" + urllib.parse.quote("ASK {}"), proc)
    return proc, base


def timed_get(base: str, text: str) -> tuple[int, float]:
    """A GET of a query: its HTTP status (0 when the connection failed) and how long it took."""
    start = time.perf_counter()
    req = urllib.request.Request(
        base + "?query=" + urllib.parse.quote(text), headers={"Accept": "application/sparql-results+json"}
    )
    try:
        with urllib.request.urlopen(req, timeout=60) as resp:
            resp.read()
            status = resp.status
    except urllib.error.HTTPError as e:
        status = e.code
        e.close()
    except OSError:
        status = 0
    return status, time.perf_counter() - start


def children(pid: int) -> list[int]:
    """The processes whose parent is pid now (from /proc)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found
