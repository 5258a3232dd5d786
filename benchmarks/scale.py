"""Scale study: N re-issued copies of the report (N = 1, 10, 100, 1000), built on the fly, never committed.

    python benchmarks/scale.py [--sizes 1 10 100 1000] [--validate-max 1000] [--out benchmarks/scale]

Each copy is the real report's data with every instance IRI moved under id/r<i>/ and loaded as its own
named graph (one Turtle file a report), so the shapes apply to every copy. For each N, in a fresh
process: prepare the on-disk Oxigraph store (load), run five competency questions over all reports
(query), validate every report graph on all cores (validation), and dump N-Quads (export). Prints
a table with times, per-report costs and peak memory, the growth exponent of each phase (slope of
log time on log N), and writes a PNG plot and a Markdown table.
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
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
QUERIES = ["network-tiers", "figures-2021", "money-by-area", "review-and-plan", "tasks-by-tier"]


def generate(n: int, folder: Path) -> list[Path]:
    """N report files: the packaged data with instance IRIs re-issued under id/r<i>/."""
    sys.path.insert(0, str(ROOT / "src"))
    from mzkg.core import resources

    text = "\n".join(f.read_text(encoding="utf-8") for f in resources.turtle_files(resources.data_dir()))
    # Turtle files may repeat @prefix lines; keep them once at the top.
    prefixes = sorted({line for line in text.splitlines() if line.startswith("@prefix")})
    body = "\n".join(line for line in text.splitlines() if not line.startswith("@prefix"))
    folder.mkdir(parents=True, exist_ok=True)
    files = []
    for i in range(n):
        f = folder / f"report-{i:04d}.ttl"
        f.write_text(
            "\n".join(prefixes) + "\n" + body.replace("<https://w3id.org/mzkg/id/", f"<https://w3id.org/mzkg/id/r{i}/"),
            encoding="utf-8",
        )
        files.append(f)
    return files


def _validate_one(path: str) -> bool:
    sys.path.insert(0, str(ROOT / "src"))
    from mzkg.core.graph import load
    from mzkg.features.validation import validate

    return validate(load([path])).conforms


def measure(n: int, folder: Path, validate_max: int) -> dict:
    """One size, in this process: load, query, validate, export; time and peak memory of each."""
    sys.path.insert(0, str(ROOT / "src"))
    os.environ["MZKG_CACHE_DIR"] = str(folder / "cache")
    from mzkg.core import store as stores
    from mzkg.core.graph import load
    from mzkg.core.service import select
    from mzkg.core.sparql.catalogue import named_queries

    files = sorted((folder / "reports").glob("*.ttl"))
    out: dict = {"n": n, "triples": None}
    t = time.perf_counter()
    stores.PREPARE_ABOVE_BYTES = 0  # always the prepared store, so every size takes the same path
    kg = load([str(f) for f in files])
    store = kg.store
    out["load_s"] = time.perf_counter() - t
    out["triples"] = len(store)
    t = time.perf_counter()
    kg = load([str(f) for f in files])
    store = kg.store
    out["open_s"] = time.perf_counter() - t
    qs = named_queries()
    t = time.perf_counter()
    rows = 0
    for name in QUERIES:
        rows += len(select(name, kg=kg))
    out["query_s"] = time.perf_counter() - t
    out["query_rows"] = rows
    one = time.perf_counter()
    select("network-tiers", kg=kg)
    out["one_question_s"] = time.perf_counter() - one
    # The same question about one report among N: its graph and the ontology's as the default graph.
    import pyoxigraph

    from mzkg.core.prefixes import PREFIXES
    from mzkg.core.sources import graph_name, source_paths

    graphs = [pyoxigraph.NamedNode(graph_name(f)) for f in source_paths([str(files[n // 2])])]
    one = time.perf_counter()
    answer = list(store.query(qs["network-tiers"].text, prefixes=PREFIXES, default_graph=graphs))
    out["one_report_s"] = time.perf_counter() - one
    out["one_report_rows"] = len(answer)
    v = min(n, validate_max)
    t = time.perf_counter()
    with ProcessPoolExecutor(max_workers=os.cpu_count()) as pool:
        ok = list(pool.map(_validate_one, [str(f) for f in files[:v]], chunksize=1))
    out["validate_s"] = time.perf_counter() - t
    out["validated"] = v
    out["all_conform"] = all(ok)
    t = time.perf_counter()
    store.dump(output=str(folder / "dump.nq"), format=pyoxigraph.RdfFormat.N_QUADS)
    out["export_s"] = time.perf_counter() - t
    out["peak_mib"] = (
        max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024
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


def report(results: list[dict], out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    phases = [
        ("load_s", "load (prepare store)"),
        ("query_s", "5 questions"),
        ("validate_s", "validation"),
        ("export_s", "export"),
    ]
    lines = [
        "| N | triples | load s | open s | 5 questions s | one question s | one report's answer s | validated | "
        "validation s | export s | peak MiB |",
        "|---:" * 11 + "|",
    ]
    for r in results:
        lines.append(
            f"| {r['n']} | {r['triples']:,} | {r['load_s']:.2f} | {r['open_s']:.3f} | {r['query_s']:.3f} | "
            f"{r['one_question_s']:.3f} | {r['one_report_s']:.3f} | {r['validated']} | {r['validate_s']:.1f} | "
            f"{r['export_s']:.2f} | {r['peak_mib']:.0f} |"
        )
    lines.append("")
    lines.append("| phase | growth exponent (slope of log time on log N) |")
    lines.append("|---|---:|")
    for key, name in phases:
        pts = [(r["validated"] if key == "validate_s" else r["n"], r[key]) for r in results if r[key] > 0]
        lines.append(f"| {name} | {slope(pts):.2f} |")
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
        xs = [r["validated"] if key == "validate_s" else r["n"] for r in results]
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
