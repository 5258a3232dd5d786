"""Report-by-report validation against corpora built to fool it: files of one stem, shared entities described
differently by two reports, a report's file writing into another report's namespace, and a cache folder holding
what mzkg did not write. Each gives the verdict of validating the whole corpus at once."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from mzkg.core import resources
from mzkg.core.graph import load
from mzkg.features.corpus_validation import validate_corpus
from mzkg.features.validation import validate
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
