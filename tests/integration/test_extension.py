"""A later year's report (invented test data) fits the ontology unchanged and links back to the 2022 plan."""

from __future__ import annotations

import mzkg
from mzkg.core import resources
from mzkg.core.namespaces import NIF
from mzkg.core.service import select
from mzkg.features.grounding import coverage
from mzkg.features.validation import validate
from support.paths import DATA

HERE = DATA / "extension"


def test_invented_2023_report_loads_as_its_own_graph_and_conforms():
    kg = mzkg.load([resources.data_dir(), HERE / "gd-2023-invented.ttl"])
    assert any("gd-2023-invented" in str(iri) for iri in kg.sources)
    report = validate(kg)
    assert report.conforms, report.text()
    # its text in the graph is the file beside it, and its spans encode all of it
    source = next(s for s in kg.dataset.subjects(NIF.isString, None) if "gd-2023-invented" in str(s))
    assert str(kg.dataset.value(source, NIF.isString)) == (HERE / "gd-2023-invented.txt").read_text(encoding="utf-8")
    assert coverage(kg, source).complete


def test_an_achievement_links_to_the_2022_task_it_fulfils():
    kg = mzkg.load([resources.data_dir(), HERE / "gd-2023-invented.ttl"])
    res = select(str(HERE / "fulfilled-tasks.rq"), kg=kg)
    rows = res.records()
    assert rows == [
        {
            "task": "實現全省村(居)社會工作服務點100%覆蓋",
            "achievement": "2022年全省村(居)社會工作服務點實現100%覆蓋",
            "report": "工作報告(虛構)",
            "figure": "100%",
        }
    ]


def test_the_packaged_report_alone_has_no_fulfilled_task(kg):
    assert len(select(str(HERE / "fulfilled-tasks.rq"), kg=kg)) == 0
