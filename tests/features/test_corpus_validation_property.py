"""Report by report gives the verdict of the whole corpus, on small corpora drawn at random to break it: shared
entities that several reports describe (each in its own words), files of one stem with different suffixes, and
statements written into another report's namespace."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from mzkg.core.graph import load
from mzkg.features.corpus_validation import validate_corpus
from mzkg.features.validation import validate

PREFIXES = """@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix mzkg: <https://w3id.org/mzkg/ontology#> .
"""
ID = "https://w3id.org/mzkg/id/"
REPORTS = ("alpha-invented", "beta-invented", "gamma-invented")
AGENCIES = ("agency/330300-dca", "agency/320583-dca")


def _agency(agency: str, english: str) -> str:
    return (
        f"<{ID}{agency}> a mzkg:Agency"
        " ; mzkg:backgroundKnowledge true ; mzkg:needsReview true ;\n"
        f'  rdfs:label "溫州市民政局"@zh-Hant , "温州市民政局"@zh-Hans , "{english}"@en .\n'
    )


def _statement(report: str, n: int, agency: str) -> str:
    return f'<{ID}report/{report}/statement/2023/{n:03d}> mzkg:responsibleActor <{ID}{agency}> ; rdfs:label "任務{n}"@zh-Hant .\n'


report_file = st.fixed_dictionaries({
    "report": st.sampled_from(REPORTS),
    "stem": st.sampled_from(["own", "shared-name"]),  # the report's slug, or one stem several files share
    "suffix": st.sampled_from([".ttl", ".nt.ttl", ".n3"]),
    "agency": st.sampled_from(AGENCIES),
    "english": st.sampled_from(["Civil Affairs Bureau", "Civil Affairs Bureau of Wenzhou"]),
    "declares": st.sampled_from([True, True, False]),  # repeats the shared agency, in its own words
    "foreign": st.sampled_from([None, *REPORTS]),  # a statement written under another report's path
})  # fmt: skip


def _write(folder: Path, files: list[dict]) -> list[Path]:
    paths = []
    for i, f in enumerate(files):
        sub = folder / f"d{i}"
        sub.mkdir()
        stem = f["report"] if f["stem"] == "own" else "shared-name"
        body = PREFIXES + _statement(f["report"], i, f["agency"])
        if f["declares"]:
            body += _agency(f["agency"], f"{f['english']} ({f['report']})")  # each report words it its own way
        if f["foreign"]:
            body += _statement(f["foreign"], 100 + i, f["agency"])
        path = folder / f"{stem}-{i % 2}{f['suffix']}" if i < 2 else sub / f"{stem}{f['suffix']}"
        path.write_text(body, encoding="utf-8")
        paths.append(path)
    return paths


# a handful of examples, no shrinking: the suite has a time budget, and a failing corpus is shown as drawn
@settings(
    max_examples=6,
    deadline=None,
    derandomize=True,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(st.lists(report_file, min_size=2, max_size=4).filter(lambda fs: len({f["report"] for f in fs if f["declares"]}) > 1))
def test_report_by_report_gives_the_whole_corpus_verdict(files):
    with tempfile.TemporaryDirectory() as tmp:
        kg = load(_write(Path(tmp), files))
        whole = validate(kg)
        assert validate_corpus(kg, jobs=1, cache=False) == whole
