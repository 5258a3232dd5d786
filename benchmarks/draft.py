"""How good and how fast `mzkg draft` is.

Quality: the packaged report redrafted from its text and scored against its hand encoding (figures, statements,
entity links), and the invented reports scored against their hand-written gold, report by report and in all: the
tuning set (tests/data/corpus, tests/data/reports) and, apart, the held-out set (tests/data/heldout), which the
drafter was never tuned on (its scores are the honest ones).
Speed: drafting each report in-process (after the gazetteer is built once), a whole `mzkg draft` process on the
packaged report, and one `mzkg draft` process over N reports (default 1000) generated in a temporary folder from
the four texts (each copy with its own slug; the generated files are deleted afterwards).

    python benchmarks/draft.py [--reports 1000] [--quality-only]
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import mzkg
from mzkg.core import resources
from mzkg.features.draft import draft_reports
from mzkg.features.draft.gazetteer import build
from mzkg.features.draft.reading import read_document

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from support.score import (  # noqa: E402 - the scorer is test support, next to the gold it reads
    hand_gold,
    score_entities,
    score_entity_sets,
    score_figures,
    score_report,
    score_statements,
)

CORPUS = ROOT / "tests" / "data" / "corpus"
SETS = {"tuned": [CORPUS, ROOT / "tests" / "data" / "reports"], "held out": [ROOT / "tests" / "data" / "heldout"]}
PACKAGED = resources.data_dir() / "source" / "guangdong-minzheng-2022.txt"
REPORT = "https://w3id.org/mzkg/id/report/guangdong-minzheng-2022"
MZKG = [sys.executable, "-m", "mzkg"]


def quality(kg: mzkg.KnowledgeGraph, out: Path) -> None:
    print("## Quality\n")
    run = draft_reports([PACKAGED], out, kg, slug="gd-redraft")
    d = run.drafted[0].draft
    gold = hand_gold(kg, REPORT, REPORT + "/text")
    f = score_figures(d, gold["figures"])
    print(f"packaged report ({len(d.text)} characters), against its hand encoding:")
    print("  " + f.line("figures") + f"; value, unit, hedge and year right for {f.attributes:.1%}")
    print("  " + score_statements(d, gold["spans"]).line("statements"))
    print("  " + score_entity_sets(d, gold["entities"]).line("entities"))
    for name, folders in SETS.items():
        print(f"\n### {name}\n")
        print("| report | style | figures P | R | attributes | links R | P | place | years | date | title |")
        print("|---|---|---:|---:|---:|---:|---:|---|---|---|---|")
        totals = [0] * 7
        reports = [
            (folder, json.loads(p.read_text(encoding="utf-8"))) for folder in folders for p in sorted(folder.glob("*.gold.json"))
        ]
        for folder, g in reports:
            run = draft_reports([folder / g["source"]], out, kg, force=True)
            if run.failed:
                print(f"| {g['slug']} | refused: {run.failed[0].error} |")
                continue
            d = run.drafted[0].draft
            f, e, r = score_figures(d, g["figures"]), score_entities(d, g["entities"]), score_report(d, g)
            totals = [
                a + b
                for a, b in zip(
                    totals, [f.found, f.drafted, f.gold, f.attributes_right, e.found, e.gold, all(r.values())], strict=True
                )
            ]
            marks = " | ".join("yes" if r[k] else "**no**" for k in ("place", "years", "date", "title"))
            style = g.get("style", g.get("level", ""))[:60]
            print(
                f"| {g['slug']} | {style} | {f.precision:.0%} | {f.recall:.0%} | {f.attributes:.0%} | {e.recall:.0%} | {e.precision:.0%} | {marks} |"
            )
        found, drafted, gold, attrs, linked, links, whole = totals
        print(
            f"\n{name}: {len(reports)} reports, none refused; figures P {found / max(drafted, 1):.1%} R {found / max(gold, 1):.1%}, "
            f"attributes {attrs / max(found, 1):.1%}, links R {linked / max(links, 1):.1%}; place, years, date and title all "
            f"right on {whole} of {len(reports)}"
        )


def speed(kg: mzkg.KnowledgeGraph, out: Path, n: int) -> None:
    print("\n## Speed\n")
    t = time.perf_counter()
    build(kg)
    print(f"gazetteer from the packaged graph: {time.perf_counter() - t:.3f} s (once per run)")
    for path in [PACKAGED, *sorted(p for p in CORPUS.iterdir() if "invented." in p.name and not p.name.endswith(".json"))]:
        times = []
        for _ in range(5):
            t = time.perf_counter()
            draft_reports([path], out, kg, slug="timing", force=True)
            times.append(time.perf_counter() - t)
        chars = len(read_document(path).text)
        print(f"{path.name}: {chars} characters, median {sorted(times)[2]:.3f} s in-process (gazetteer included)")
    t = time.perf_counter()
    subprocess.run([*MZKG, "draft", str(PACKAGED), "-o", str(out), "--id", "cold"], check=True, capture_output=True)
    print(f"`mzkg draft` on the packaged report, whole process: {time.perf_counter() - t:.2f} s")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "reports"
        folder.mkdir()
        texts = [read_document(PACKAGED).text] + [
            read_document(p).text for p in sorted(CORPUS.iterdir()) if "invented." in p.name and not p.name.endswith(".json")
        ]
        for i in range(n):
            (folder / f"report-{i:04d}.txt").write_text(texts[i % len(texts)], encoding="utf-8")
        files = sorted(str(p) for p in folder.iterdir())
        t = time.perf_counter()
        done = subprocess.run([*MZKG, "draft", *files, "-o", str(Path(tmp) / "out")], check=False, capture_output=True, text=True)
        elapsed = time.perf_counter() - t
        drafted = len(list((Path(tmp) / "out").glob("*.ttl")))
        print(f"`mzkg draft` over {n} reports in one process: {elapsed:.1f} s ({drafted} drafted, exit {done.returncode})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=1000, help="how many reports the throughput run drafts")
    parser.add_argument("--quality-only", action="store_true", help="score the drafts, skip the timing")
    args = parser.parse_args()
    kg = mzkg.load()
    out = Path(tempfile.mkdtemp(prefix="mzkg-draft-bench-"))
    try:
        quality(kg, out)
        if not args.quality_only:
            speed(kg, out, args.reports)
    finally:
        shutil.rmtree(out, ignore_errors=True)


if __name__ == "__main__":
    main()
