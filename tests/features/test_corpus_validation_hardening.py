"""Report-by-report validation against corpora built to fool it: files of one stem, shared entities described
differently by two reports, a report's file writing into another report's namespace, and a cache folder holding
what mzkg did not write. Each gives the verdict of validating the whole corpus at once."""

from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path

import pytest

from mzkg.core import resources
from mzkg.core import store as stores
from mzkg.core.graph import load
from mzkg.core.sources import content_key
from mzkg.features import corpus_validation
from mzkg.features.corpus_validation import validate_corpus
from mzkg.features.validation import namespace_checks, validate
from mzkg.interfaces.cli import main
from support.paths import DATA

LATER = DATA / "extension" / "gd-2023-invented.ttl"  # an invented 2023 report over the packaged 2022 one
HARMLESS = '<urn:x:a> <urn:x:p> "x" .\n'


@pytest.fixture
def packaged(tmp_path: Path) -> Path:
    shutil.copytree(resources.data_dir(), tmp_path / "data")
    return tmp_path / "data"


def _broken_later(folder: Path, name: str = "a.ttl") -> Path:
    """The invented 2023 report with a quote that is not its slice (one source check fails)."""
    folder.mkdir(parents=True, exist_ok=True)
    text = LATER.read_text(encoding="utf-8")
    assert 'oa:exact "會議聽取了工作報告"' in text
    target = folder / name
    target.write_text(text.replace('oa:exact "會議聽取了工作報告"', 'oa:exact "會議聽取了工作總結"'), encoding="utf-8")
    return target


# --- files of one stem


def test_a_file_of_the_same_stem_does_not_hide_a_broken_report(runner, packaged, tmp_path):
    broken = _broken_later(tmp_path / "r")
    harmless = tmp_path / "r" / "a.nt"
    harmless.write_text(HARMLESS, encoding="utf-8")
    kg = load([packaged, broken, harmless])
    whole = validate(kg)
    assert not whole.conforms
    assert validate_corpus(kg, jobs=1, cache=False) == whole
    for extra in ([], ["--no-cache"]):
        res = runner.invoke(main, ["--data", str(packaged), "--data", str(broken), "--data", str(harmless), "validate", *extra])
        assert res.exit_code == 1, res.output
        assert res.stdout.startswith("does not conform")


# --- a cache folder holding what mzkg did not write


@pytest.fixture
def own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("MZKG_CACHE_DIR", str(folder))
    return folder


def _broken_corpus(packaged: Path, tmp_path: Path) -> list[Path]:
    return [packaged, _broken_later(tmp_path / "r")]


def _kept(folder: Path, kind: str) -> list[Path]:
    return sorted((folder / "validation").glob(f"{kind}-*.json"))


def test_a_result_written_into_the_cache_folder_by_hand_does_not_make_a_corpus_conform(packaged, tmp_path, own_cache, caplog):
    paths = _broken_corpus(packaged, tmp_path)
    assert not validate_corpus(load(paths), jobs=1).conforms
    results = _kept(own_cache, "result")
    assert results
    for f in results:
        f.write_text("[]", encoding="utf-8")
    caplog.clear()
    assert not validate_corpus(load(paths), jobs=1).conforms
    assert len([r for r in caplog.records if "ignoring the cache entry" in r.message]) == 1


def test_a_cache_folder_others_can_write_to_or_that_is_not_ours_is_not_used(packaged, tmp_path, own_cache, caplog, monkeypatch):
    paths = _broken_corpus(packaged, tmp_path)
    validate_corpus(load(paths), jobs=1)
    for f in _kept(own_cache, "result"):
        f.write_text("[]", encoding="utf-8")
    (own_cache / "validation").chmod(0o777)  # a shared folder: anyone may have written those
    assert not validate_corpus(load(paths), jobs=1).conforms
    assert "can be written by other users" in caplog.text
    (own_cache / "validation").chmod(0o700)
    caplog.clear()
    real = os.geteuid()
    monkeypatch.setattr(os, "geteuid", lambda: real + 1)  # as another user sees this folder
    assert not validate_corpus(load(paths), jobs=1).conforms
    assert "belongs to another user" in caplog.text


def test_a_kept_entry_of_the_wrong_shape_is_ignored_with_one_warning(packaged, tmp_path, own_cache, caplog):
    paths = _broken_corpus(packaged, tmp_path)
    first = validate_corpus(load(paths), jobs=1)
    for f in _kept(own_cache, "facts"):
        f.write_text("{}", encoding="utf-8")
    cache = corpus_validation.Cache("validation")
    for f in _kept(own_cache, "result"):  # intact entries, digest and all, holding values of the wrong shape
        key = f.stem.removeprefix("result-")
        cache.put("result", key, [{"focus": 1}])
    caplog.clear()
    assert validate_corpus(load(paths), jobs=1) == first
    assert len([r for r in caplog.records if "ignoring the cache entry" in r.message]) == 1


def test_a_prepared_store_renamed_to_another_key_does_not_answer_for_it(tmp_path, own_cache, monkeypatch, caplog):
    monkeypatch.setattr(stores, "PREPARE_ABOVE_BYTES", 0)
    a, b = tmp_path / "a.ttl", tmp_path / "b.ttl"
    a.write_text(HARMLESS, encoding="utf-8")
    b.write_text(HARMLESS + '<urn:x:b> <urn:x:p> "y" .\n', encoding="utf-8")
    only_a, only_b = load([a], ontology=False).sources, load([b], ontology=False).sources
    assert len(stores.open_store(only_a)) == 1 and len(stores.open_store(only_b)) == 2
    store_a, store_b = (own_cache / f"store-{content_key(s)}" for s in (only_a, only_b))
    shutil.rmtree(store_b)
    store_a.rename(store_b)
    assert len(stores.open_store(only_b)) == 2
    assert "was not built for this content" in caplog.text


def test_the_cache_folder_is_made_private(tmp_path, own_cache):
    corpus_validation.Cache("validation")
    assert stat.S_IMODE((own_cache / "validation").stat().st_mode) == 0o700


# --- a report's file writing into another report's namespace

FOREIGN = (
    "\n<https://w3id.org/mzkg/id/report/guangdong-minzheng-2022/statement/2021/999> "
    '<http://www.w3.org/2000/01/rdf-schema#comment> "written from another report\'s file"@en .\n'
)


def test_a_file_may_not_describe_another_reports_nodes(runner, packaged, tmp_path):
    later = tmp_path / "r" / "gd-2023-invented.ttl"
    later.parent.mkdir()
    later.write_text(LATER.read_text(encoding="utf-8") + FOREIGN, encoding="utf-8")
    shutil.copy(DATA / "extension" / "gd-2023-invented.txt", later.parent)
    kg = load([packaged, later])
    whole = validate(kg)
    foreign = [v for v in whole.results if v.shape == "python:report-namespace"]
    assert [v.node for v in foreign] == ["<https://w3id.org/mzkg/id/report/guangdong-minzheng-2022/statement/2021/999>"]
    assert str(later) in foreign[0].message_en and "gd-2023-invented" in foreign[0].message_en
    assert validate_corpus(kg, jobs=1, cache=False) == whole
    res = runner.invoke(main, ["--data", str(packaged), "--data", str(later), "validate"])
    assert res.exit_code == 1 and "python:report-namespace" in res.stdout


def test_files_that_keep_to_their_reports_have_no_namespace_violation():
    kg = load([resources.data_dir(), DATA / "extension", DATA / "invented"])
    assert namespace_checks(kg) == []


# --- shared entities that two reports describe differently

WENZHOU = DATA / "reports" / "wenzhou-2023-invented.txt"
AGENCY_EN = '"Civil Affairs Bureau of Wenzhou"@en'


def _drafts(runner, folder: Path, slugs: tuple[str, ...]) -> list[Path]:
    for slug in slugs:
        res = runner.invoke(main, ["draft", str(WENZHOU), "-o", str(folder), "--id", slug])
        assert res.exit_code == 0, res.output
    return [folder / f"{slug}.ttl" for slug in slugs]


def test_a_shared_entity_two_reports_label_differently_fails_report_by_report_too(runner, packaged, tmp_path):
    one, other = _drafts(runner, tmp_path / "drafts", ("wenzhou-a-invented", "wenzhou-b-invented"))
    text = other.read_text(encoding="utf-8")
    assert AGENCY_EN in text
    other.write_text(text.replace(AGENCY_EN, '"Wenzhou Civil Affairs Bureau"@en'), encoding="utf-8")
    for alone in (one, other):
        assert validate_corpus(load([packaged, alone]), jobs=1, cache=False).conforms
    kg = load([packaged, one, other])
    whole = validate(kg)
    assert any(v.shape == "shape:AgencyShape-label" for v in whole.results) and not whole.conforms
    assert validate_corpus(kg, jobs=1, cache=False) == whole
    res = runner.invoke(main, ["--data", str(packaged), "--data", str(tmp_path / "drafts"), "validate"])
    assert res.exit_code == 1 and "AgencyShape-label" in res.stdout
