"""How well `mzkg ask` finds the named question: on the phrasings it is built from (five folds, each fold's
phrasings left out of the index it is asked with: tuning) and on held-out questions written by someone who saw
neither the phrasings nor the code (tests/data/ask/heldout.json), reported apart; and how fast it answers warm.

    python benchmarks/ask.py [--misses]   (--misses: the tuning misses; held-out misses are never shown)
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

import mzkg  # noqa: E402
from mzkg.features.ask import Asker, read_phrasings  # noqa: E402
from support.ask_score import score  # noqa: E402

FOLDS = 5


def folds(kg: mzkg.KnowledgeGraph) -> tuple[int, int]:
    book = read_phrasings()
    items = [(name, lang, i, text) for name, t in book.items() for lang, texts in t.items() for i, text in enumerate(texts)]
    right = 0
    for k in range(FOLDS):
        held = {(n, lang, i) for j, (n, lang, i, _t) in enumerate(items) if j % FOLDS == k}
        kept = {
            name: {lang: [x for i, x in enumerate(texts) if (name, lang, i) not in held] for lang, texts in t.items()}
            for name, t in book.items()
        }
        asker = Asker(kg, phrasebook=kept)
        for j, (name, _lang, _i, text) in enumerate(items):
            if j % FOLDS == k:
                answer = asker.ask(text)
                ok = answer.chosen is not None and answer.chosen.name == name
                right += ok
                if not ok and "--misses" in sys.argv:
                    print("  tuning miss:", name, "|", text, "|", answer.chosen.name if answer.chosen else answer.reason)
    return right, len(items)


def main() -> None:
    kg = mzkg.load()
    right, total = folds(kg)
    print(f"tuning, phrasings in {FOLDS} folds: {right}/{total} right named question first ({right / total:.1%})")
    asker = Asker(kg)
    held = json.loads((ROOT / "tests/data/ask/heldout.json").read_text(encoding="utf-8"))
    result = score(asker, held)
    print(f"held out ({len(held)} questions): {result.line()}")
    times = []
    for item in held:
        t = time.perf_counter()
        asker.ask(item["question"])
        times.append(time.perf_counter() - t)
    print(f"warm: median {statistics.median(times) * 1000:.0f} ms, max {max(times) * 1000:.0f} ms per question")


if __name__ == "__main__":
    main()
