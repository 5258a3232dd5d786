"""Validation one report at a time, with results kept per report: the same verdict as validating the whole
corpus at once, nothing recomputed when nothing changed, only the changed report (and those that depend on it)
when one changed, and never a kept result for content that has changed (data, shapes or ontology)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from mzkg.core import resources
from mzkg.core.graph import load
from mzkg.features import corpus_validation
from mzkg.features.corpus_validation import validate_corpus
from mzkg.features.validation import validate
from mzkg.interfaces.cli import main
from support.paths import DATA

EXTENSION = "gd-2023-invented.ttl"  # an invented 2023 report whose tasks fulfil the packaged 2022 report's


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """A corpus to edit: the packaged report, the invented 2023 report and the invented broken report."""
    root = tmp_path / "corpus"
    shutil.copytree(resources.data_dir(), root / "data")
    shutil.copytree(DATA / "extension", root / "extension")
    shutil.copytree(DATA / "invented", root / "invented")
    return root


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> list[frozenset[str]]:
    """The reports of every unit actually validated (in this process: jobs=1)."""
    seen: list[frozenset[str]] = []
    real = corpus_validation._validate_unit

    def spy(unit, shapes_dir, shapes_digest):
        seen.append(unit.reports)
        return real(unit, shapes_dir, shapes_digest)

    monkeypatch.setattr(corpus_validation, "_validate_unit", spy)
    return seen


def _paths(root: Path) -> list[Path]:
    return [root / "data", root / "extension", root / "invented"]


def test_report_by_report_gives_the_same_results_as_the_whole_corpus(corpus):
    kg = load(_paths(corpus))
    whole = validate(kg)
    assert not whole.conforms and len(whole.results) == 5  # the invented broken report's planted mistakes
    assert validate_corpus(kg, jobs=2, cache=False) == whole


def test_units_are_reports_with_what_they_refer_to(corpus):
    kg = load(_paths(corpus))
    units = corpus_validation.units(kg.sources, corpus_validation._facts(kg.sources, corpus_validation.Cache(None)))
    by_report = {u.reports: u for u in units if not u.entities}
    assert set(by_report) == {frozenset({"guangdong-minzheng-2022"}), frozenset({"gd-2023-invented"})}
    (shared,) = [u for u in units if u.entities]  # the shared entities reports' files describe, judged once
    assert "https://w3id.org/mzkg/id/catalogue" in shared.entities  # every report adds its entry
    later = by_report[frozenset({"gd-2023-invented"})]
    assert [s.path.name for s in later.own] == [EXTENSION]
    context = {s.path.name for s in later.context}
    assert {"mzkg.ttl", "concepts.ttl", "statements.ttl"} <= context  # the ontology, shared entities, the 2022 tasks


def test_unchanged_corpus_is_not_validated_again_and_one_edit_revalidates_its_report(corpus, counted):
    paths = _paths(corpus)
    first = validate_corpus(load(paths), jobs=1)
    assert len(counted) == 3  # two reports and the shared entities their files describe
    assert validate_corpus(load(paths), jobs=1) == first
    assert len(counted) == 3  # nothing recomputed
    later = corpus / "extension" / EXTENSION
    later.write_text(later.read_text(encoding="utf-8") + "\n# reviewed\n", encoding="utf-8")
    assert validate_corpus(load(paths), jobs=1) == first
    assert counted[3:] == [frozenset({"gd-2023-invented"})]  # only the edited report


def test_a_kept_result_is_never_reported_for_changed_data(corpus):
    paths = _paths(corpus)
    assert len(validate_corpus(load(paths)).results) == 5
    later = corpus / "extension" / EXTENSION
    text = later.read_text(encoding="utf-8")
    assert 'oa:exact "會議聽取了工作報告"' in text
    later.write_text(text.replace('oa:exact "會議聽取了工作報告"', 'oa:exact "會議聽取了工作總結"'), encoding="utf-8")
    kg = load(paths)
    again = validate_corpus(kg)
    assert again == validate(kg)
    assert len(again.results) > 5 and any("gd-2023-invented" in v.node for v in again.results)


def test_a_change_to_the_shapes_or_the_ontology_invalidates_every_kept_result(corpus, counted, tmp_path):
    shapes = tmp_path / "shapes"
    shutil.copytree(resources.shapes_dir(), shapes)
    paths = _paths(corpus)
    validate_corpus(load(paths), jobs=1, shapes_dir=shapes)
    assert len(counted) == 3
    (shapes / "extra.ttl").write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n@prefix mzkg: <https://w3id.org/mzkg/ontology#> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        "<urn:x:shape> a sh:NodeShape ; sh:targetClass mzkg:WorkReport ;\n"
        '  sh:property [ sh:path rdfs:seeAlso ; sh:minCount 1 ; sh:message "a report needs a see-also"@en ] .\n',
        encoding="utf-8",
    )
    stricter = validate_corpus(load(paths), jobs=1, shapes_dir=shapes)
    assert len(counted) == 6  # both reports and the shared entities again
    assert any("see-also" in v.message_en for v in stricter.results)
    # the ontology is a file of every unit's context: a changed ontology gives every unit a new key
    kg = load(paths)
    facts = corpus_validation._facts(kg.sources, corpus_validation.Cache(None))
    before = {u.key("salt") for u in corpus_validation.units(kg.sources, facts)}
    ontology = next(s for s in kg.sources if s.path.name == "mzkg.ttl")
    edited = [type(s)(s.path, s.graph, s.data + b"\n# edited\n") if s is ontology else s for s in kg.sources]
    facts = corpus_validation._facts(edited, corpus_validation.Cache(None))
    after = {u.key("salt") for u in corpus_validation.units(edited, facts)}
    assert before.isdisjoint(after) and len(after) == 3


def test_an_unusable_cache_folder_means_no_cache_not_an_error(corpus, monkeypatch, tmp_path, caplog):
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv("MZKG_CACHE_DIR", str(blocker / "cache"))
    assert len(validate_corpus(load(_paths(corpus))).results) == 5
    assert "cannot be used" in caplog.text


def test_validate_command_jobs_and_no_cache(runner, corpus):
    args = [a for p in _paths(corpus) for a in ("--data", str(p))]
    first = runner.invoke(main, [*args, "validate", "--jobs", "2", "--format", "json"])
    again = runner.invoke(main, [*args, "validate", "--no-cache", "--format", "json"])
    assert first.exit_code == again.exit_code == 1
    assert first.stdout == again.stdout and first.stdout.startswith("{")
    bad = runner.invoke(main, [*args, "validate", "--jobs", "0"])
    assert bad.exit_code == 2


def test_units_reading_the_same_files_for_different_reports_keep_different_results():
    from mzkg.core.sources import Source

    a, b = (Source(Path(f"{n}.ttl"), f"urn:g:{n}", n.encode()) for n in "ab")
    one = corpus_validation.Unit(frozenset({"a"}), (a,), (b,))
    other = corpus_validation.Unit(frozenset({"b"}), (b,), (a,))
    assert one.key("salt") != other.key("salt")
