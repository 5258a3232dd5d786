"""Scale study: N re-issued copies of the report (N = 1, 10, 100, 1000), built on the fly, never committed.

    python benchmarks/scale.py [--sizes 1 10 100 1000] [--validate-max 1000] [--out benchmarks/scale]

Each copy is the real report's own nodes (those under its id/report/{slug}/) re-issued under a new slug, one
Turtle file a report, beside one file of what the reports share (concepts, programmes, places), as a corpus
is laid out. For each N: `oxigraph load` of the files as the reference, then mzkg preparing its store for a
first question (load), five competency questions over all reports, each cross-report named query as
`mzkg query NAME` (stopped after 300 s), `mzkg validate` three times (nothing kept, nothing changed, one
report edited) and `mzkg export`. Prints a table with times, ratios and peak memory, the growth exponent of
each phase (slope of log time on log N), and writes a PNG plot and a Markdown table.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
import bench  # noqa: E402 - the reference-tools study's process timer, shared

QUERIES = ["network-tiers", "figures-2021", "money-by-area", "review-and-plan", "tasks-by-tier"]


SLUG = "guangdong-minzheng-2022"
REPORT_NS = f"<https://w3id.org/mzkg/id/report/{SLUG}"


def generate(n: int, folder: Path) -> list[Path]:
    """N report files and one file of what they share: the packaged report's own nodes (those under its
    `id/report/{slug}/`) re-issued under a new slug per copy (copy 0 keeps the real one), everything else
    (concepts, programmes, places, the catalogue) once in shared.ttl, as a corpus of many reports is laid out."""
    import pyoxigraph

    sys.path.insert(0, str(ROOT / "src"))
    from mzkg.core import resources
    from mzkg.core.prefixes import PREFIXES

    own, shared = [], []
    for f in resources.turtle_files(resources.data_dir()):
        for t in pyoxigraph.parse(path=str(f), format=pyoxigraph.RdfFormat.TURTLE):
            subject = t.subject
            mine = isinstance(subject, pyoxigraph.NamedNode) and ("<" + subject.value).startswith(REPORT_NS)
            (own if mine else shared).append(t)
    prefixes = {p: ns for p, ns in PREFIXES.items() if p != "id"}  # report IRIs stay whole, so a copy can rename them
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "shared.ttl").write_bytes(pyoxigraph.serialize(shared, format=pyoxigraph.RdfFormat.TURTLE, prefixes=prefixes))
    text = pyoxigraph.serialize(own, format=pyoxigraph.RdfFormat.TURTLE, prefixes=prefixes).decode("utf-8")
    files = []
    for i in range(n):
        f = folder / f"report-{i:04d}.ttl"
        slug = SLUG if i == 0 else f"scale-copy-{i:04d}"
        f.write_text(text.replace(REPORT_NS, f"<https://w3id.org/mzkg/id/report/{slug}"), encoding="utf-8")
        files.append(f)
    return files


CROSS_REPORT = ["reports", "plan-outcome", "indicator-series", "programme-spread", "new-in-report"]
QUESTION_TIMEOUT_S = 300


def _run(cmd: list[str], env: dict | None = None, timeout: float | None = None) -> tuple[float, int, float]:
    """A command in a fresh process: (seconds, exit code, its own peak MiB); seconds is inf past the timeout."""
    seconds, code, peak_kib, _err = bench.measure(cmd, env=env, timeout=timeout)
    return seconds, code, peak_kib / 1024


def measure(n: int, folder: Path, validate_max: int) -> dict:
    """One size: loading against `oxigraph load` of the same files, questions, validation (cold, unchanged,
    one report edited), export; every user-facing step as the command a user runs, in a fresh process."""
    files = sorted((folder / "reports").glob("*.ttl"))
    env = {**os.environ, "MZKG_CACHE_DIR": str(folder / "cache")}
    mzkg = [str(Path(sys.executable).with_name("mzkg")), "--data", str(folder / "reports")]
    out: dict = {"n": n}
    # Loading: Oxigraph's own bulk loader, then mzkg preparing its store for the first question (same files).
    out["oxigraph_load_s"], rc, _ = _run(
        [str(Path(sys.executable).with_name("oxigraph")), "load", "--location", str(folder / "ox"), "--file", *map(str, files)]
    )
    assert rc == 0, "oxigraph load failed"
    shutil.rmtree(folder / "ox", ignore_errors=True)
    out["load_s"], rc, out["load_peak_mib"] = _run([*mzkg, "query", "--sparql", "ASK {}"], env)
    assert rc == 0, "mzkg could not prepare its store"
    out["load_ratio"] = out["load_s"] / out["oxigraph_load_s"]
    out["open_s"], rc, _ = _run([*mzkg, "query", "--sparql", "ASK {}"], env)
    # Questions: five about the report, over all reports, in this process on the prepared store.
    sys.path.insert(0, str(ROOT / "src"))
    os.environ["MZKG_CACHE_DIR"] = env["MZKG_CACHE_DIR"]
    from mzkg.core import store as stores
    from mzkg.core.graph import load
    from mzkg.core.service import select

    stores.PREPARE_ABOVE_BYTES = 0  # always the prepared store, so every size takes the same path
    kg = load([str(f) for f in files])
    out["triples"] = len(kg.store)
    t = time.perf_counter()
    out["query_rows"] = sum(len(select(name, kg=kg)) for name in QUERIES)
    out["query_s"] = time.perf_counter() - t
    # Cross-report questions, each as `mzkg query NAME` (a fresh process, so one that runs away can be stopped).
    out["cross_report_s"] = {}
    for name in CROSS_REPORT:
        params = ["--param", "label=社工站"] if name == "indicator-series" else []
        out["cross_report_s"][name], _rc, _ = _run([*mzkg, "query", name, *params], env, timeout=QUESTION_TIMEOUT_S)
    # Validation: `mzkg validate` on all cores, with no kept results, again unchanged, then after one report edit.
    validated = folder / "validated"
    validated.mkdir()
    for f in [folder / "reports" / "shared.ttl", *sorted((folder / "reports").glob("report-*.ttl"))[:validate_max]]:
        (validated / f.name).symlink_to(f)
    check = [str(Path(sys.executable).with_name("mzkg")), "--data", str(validated), "validate"]
    out["validated"] = len(list(validated.glob("report-*.ttl")))
    out["validate_s"], rc, out["validate_peak_mib"] = _run(check, env)
    out["all_conform"] = rc == 0
    out["validate_again_s"], _rc, _ = _run(check, env)
    edited = validated / "report-0001.ttl" if n > 1 else validated / "report-0000.ttl"
    text = edited.read_text(encoding="utf-8")
    edited.unlink()
    edited.write_text(text + "\n# reviewed\n", encoding="utf-8")
    out["validate_one_edit_s"], rc_edit, _ = _run(check, env)
    out["all_conform"] = out["all_conform"] and rc_edit == 0
    out["validate_again_ratio"] = out["validate_again_s"] / out["validate_s"]
    out["validate_one_edit_ratio"] = out["validate_one_edit_s"] / out["validate_s"]
    # Export: Oxigraph's N-Quads dump of the prepared store (`mzkg export` sorts through rdflib, for byte-identical
    # releases of one report; it is not meant for a corpus of millions of triples).
    import pyoxigraph

    t = time.perf_counter()
    kg.store.dump(output=str(folder / "dump.nq"), format=pyoxigraph.RdfFormat.N_QUADS)
    out["export_s"] = time.perf_counter() - t
    out["peak_mib"] = max(
        out["load_peak_mib"], out["validate_peak_mib"], resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    )
    return out


def slope(points: list[tuple[float, float]]) -> float:
    xs = [math.log(x) for x, _ in points]
    ys = [math.log(y) for _, y in points]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=False)) / sum((x - mx) ** 2 for x in xs)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="+", default=[1, 10, 100, 1000])
    ap.add_argument("--validate-max", type=int, default=1000, help="validate at most this many reports per size")
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "scale")
    ap.add_argument("--one", type=int, help=argparse.SUPPRESS)  # internal: measure one size in this process
    ap.add_argument("--work", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one:
        print(json.dumps(measure(args.one, args.work, args.validate_max)))
        return
    results = []
    for n in args.sizes:
        work = Path(tempfile.mkdtemp(prefix=f"mzkg-scale-{n}-"))
        try:
            t = time.perf_counter()
            generate(n, work / "reports")
            print(f"N={n}: generated in {time.perf_counter() - t:.1f} s; measuring …", file=sys.stderr)
            proc = subprocess.run(
                [sys.executable, __file__, "--one", str(n), "--work", str(work), "--validate-max", str(args.validate_max)],
                capture_output=True,
                text=True,
                check=True,
            )
            results.append(json.loads(proc.stdout.strip().splitlines()[-1]))
            print(json.dumps(results[-1]), file=sys.stderr)
        finally:
            shutil.rmtree(work, ignore_errors=True)
    report(results, args.out)


def _s(x: float) -> str:
    return "> 300" if math.isinf(x) else f"{x:.2f}"


def report(results: list[dict], out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    phases = [
        ("oxigraph_load_s", "`oxigraph load` (reference)"),
        ("load_s", "load (prepare store)"),
        ("query_s", "5 questions"),
        ("validate_s", "validation, nothing kept"),
        ("validate_one_edit_s", "validation after one edit"),
        ("export_s", "export"),
    ]
    lines = [
        "| N | triples | `oxigraph load` s | mzkg load s | ratio | open s | 5 questions s | validated | validate s | "
        "unchanged s (ratio) | one edit s (ratio) | export s | peak MiB |",
        "|---:" * 13 + "|",
    ]
    for r in results:
        lines.append(
            f"| {r['n']} | {r['triples']:,} | {r['oxigraph_load_s']:.2f} | {r['load_s']:.2f} | {r['load_ratio']:.2f}× | "
            f"{r['open_s']:.2f} | {r['query_s']:.2f} | {r['validated']} | {r['validate_s']:.1f} | "
            f"{r['validate_again_s']:.2f} ({r['validate_again_ratio']:.3f}×) | "
            f"{r['validate_one_edit_s']:.2f} ({r['validate_one_edit_ratio']:.3f}×) | {r['export_s']:.2f} | {r['peak_mib']:.0f} |"
        )
    lines += ["", "| N | " + " | ".join(f"`{q}` s" for q in CROSS_REPORT) + " |", "|---:" * (len(CROSS_REPORT) + 1) + "|"]
    for r in results:
        lines.append(f"| {r['n']} | " + " | ".join(_s(r["cross_report_s"][q]) for q in CROSS_REPORT) + " |")
    lines += ["", "| phase | growth exponent (slope of log time on log N) |", "|---|---:|"]
    for key, name in phases:
        pts = [(r["validated"] if key.startswith("validate") else r["n"], r[key]) for r in results if r[key] > 0]
        lines.append(f"| {name} | {slope(pts):.2f} |" if len(pts) > 1 else f"| {name} | – |")
    table = "\n".join(lines) + "\n"
    (out / "table.md").write_text(table, encoding="utf-8")
    (out / "results.json").write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    print(table)
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return
    fig, ax = plt.subplots(figsize=(6, 4))
    for key, name in phases:
        xs = [r["validated"] if key.startswith("validate") else r["n"] for r in results]
        ax.loglog(xs, [r[key] for r in results], "o-", label=name)
    ax.set_xlabel("reports (N)")
    ax.set_ylabel("seconds")
    ax.set_title("mzkg scale study")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend()
    fig.tight_layout()
    fig.savefig(out / "scale.png", dpi=110)


if __name__ == "__main__":
    main()
