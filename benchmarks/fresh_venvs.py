"""Each optional extra, installed as the README says, in a real fresh virtualenv.

For every extra: `python -m venv`, `pip install .`, run the commands that need the extra (each should stop
with one line naming it, exit 2), then `pip install '.[EXTRA]'` and run them again (each should work). Prints
what every command printed, shortened. Not a test: it needs the package index and takes minutes.

    python benchmarks/fresh_venvs.py [--extra stores --extra draft ...] [--keep DIR]
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REPORT = ROOT / "tests" / "data" / "corpus" / "hn-2023-invented.gb18030.txt"

# What each extra is for, as commands (run in a scratch folder); "serve" starts `mzkg serve` and asks it a question.
COMMANDS: dict[str, list[list[str]]] = {
    "stores": [["serve"]],
    "draft": [["mzkg", "draft", str(REPORT), "-o", "drafts"]],
    "owl": [["mzkg", "draw", "tiers", "-o", "tiers.svg"], ["mzkg", "docs", "-o", "site"], ["mzkg", "check"]],
    "jupyter": [["python", "-c", "import mzkg; print(mzkg.series('社工站')[['value', 'unit', 'year', 'place']])"]],
}


def shorten(text: str, head: int = 5, tail: int = 2) -> str:
    """The first and the last lines (a traceback's last line says what went wrong), indented."""
    kept = text.rstrip("\n").splitlines()
    if len(kept) > head + tail + 1:
        kept = [*kept[:head], f"… {len(kept) - head - tail} more lines", *kept[-tail:]]
    return "\n".join(f"    {line}" for line in kept)


def run(cmd: list[str], cwd: Path, timeout: float = 900) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=timeout, check=False)


def serve(bin_dir: Path, cwd: Path) -> str:
    """Start `mzkg serve --port 0`, ask one question and fetch /tiers, stop it; what it showed."""
    proc = subprocess.Popen([str(bin_dir / "mzkg"), "serve", "--port", "0"], cwd=cwd, stderr=subprocess.PIPE, text=True)
    assert proc.stderr is not None
    shown, url = [], None
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and url is None:
        line = proc.stderr.readline()
        if not line:
            break
        shown.append(line.rstrip("\n"))
        if found := re.search(r"(http://\S+)/sparql", line):
            url = found.group(1)
    if url is None:
        proc.wait(timeout=30)
        return f"$ mzkg serve --port 0\n  exit {proc.returncode}\n  stderr:\n{shorten(chr(10).join(shown))}"
    report = [f"$ mzkg serve --port 0\n  stderr:\n{shorten(chr(10).join(shown))}"]
    for path in ["/sparql?query=ASK%7B%3Fs%20%3Fp%20%3Fo%7D", "/tiers"]:
        try:
            with urllib.request.urlopen(url + path, timeout=60) as res:
                report.append(f"  GET {path}: {res.status} {res.read(60)!r}…")
        except urllib.error.HTTPError as e:
            report.append(f"  GET {path}: {e.code} {e.read(200)!r}")
    proc.terminate()
    proc.wait(timeout=30)
    return "\n".join(report)


def show(cmd: list[str], bin_dir: Path, cwd: Path) -> str:
    if cmd == ["serve"]:
        return serve(bin_dir, cwd)
    res = run([str(bin_dir / cmd[0]), *cmd[1:]], cwd)
    parts = [f"$ {' '.join(cmd)}", f"  exit {res.returncode}"]
    if res.stdout.strip():
        parts.append(f"  stdout:\n{shorten(res.stdout)}")
    if res.stderr.strip():
        parts.append(f"  stderr:\n{shorten(res.stderr)}")
    return "\n".join(parts)


def try_extra(extra: str, python: str, where: Path) -> None:
    venv = where / f"venv-{extra}"
    scratch = where / f"run-{extra}"
    bin_dir = venv / "bin"
    for step, target in [("pip install .", str(ROOT)), (f"pip install '.[{extra}]'", f"{ROOT}[{extra}]")]:
        started = time.monotonic()
        if step == "pip install .":
            run([python, "-m", "venv", str(venv)], where)
        res = run([str(bin_dir / "python"), "-m", "pip", "install", "-q", target], where)
        took = time.monotonic() - started
        print(f"\n== {extra}: {step} (exit {res.returncode}, {took:.0f} s)")
        if res.returncode != 0:
            print(shorten(res.stderr, 15, 5))
            return
        shutil.rmtree(scratch, ignore_errors=True)
        scratch.mkdir()
        for cmd in COMMANDS[extra]:
            print(show(cmd, bin_dir, scratch))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--extra", action="append", choices=sorted(COMMANDS), help="Only this extra (repeatable).")
    parser.add_argument("--python", default=sys.executable, help="The Python to make the virtualenvs with.")
    parser.add_argument("--keep", type=Path, help="Build the virtualenvs here and keep them (default: a temporary folder).")
    args = parser.parse_args()
    extras = args.extra or list(COMMANDS)
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
        for extra in extras:
            try_extra(extra, args.python, args.keep.resolve())
        return
    with tempfile.TemporaryDirectory(prefix="mzkg-fresh-") as tmp:
        for extra in extras:
            try_extra(extra, args.python, Path(tmp))


if __name__ == "__main__":
    main()
