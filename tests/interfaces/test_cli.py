"""The `mzkg` command, in-process with CliRunner, plus one run of the installed entry point."""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Dataset, Graph
from rdflib.compare import isomorphic

from mzkg.interfaces.cli import main
from support.paths import DATA, ROOT

pytestmark = pytest.mark.xdist_group("cli-exports")  # its module fixtures are made once, on one worker


def run(runner, *args):
    return runner.invoke(main, list(args), catch_exceptions=False)


@pytest.mark.parametrize("fmt", ["table", "csv", "tsv", "json", "markdown"])
def test_query_named_in_every_format(runner, fmt):
    res = run(runner, "query", "kuasheng-services", "--format", fmt)
    assert res.exit_code == 0, res.output
    assert "婚姻登記" in res.output
    if fmt == "json":
        doc = json.loads(res.output)
        assert doc["head"]["vars"][:2] == ["service", "label_zh"]
        assert len({b["service"]["value"] for b in doc["results"]["bindings"]}) == 3
    if fmt == "csv":
        assert res.output.splitlines()[0] == "service,label_zh,label_en,group_zh"


def test_query_inline_sparql_and_rq_file(runner, tmp_path):
    res = run(runner, "query", "--sparql", "SELECT (COUNT(*) AS ?n) WHERE { ?s a mzkg:Task }", "--format", "csv")
    assert res.exit_code == 0, res.output
    assert int(res.output.splitlines()[1]) > 50
    rq = tmp_path / "mine.rq"
    rq.write_text('ASK { ?s rdfs:label "五社聯動"@zh-Hant }', encoding="utf-8")
    res = run(runner, "query", str(rq))
    assert res.exit_code == 0 and res.output.strip() == "yes"


def test_query_param_is_bound_as_a_term(runner):
    res = run(runner, "query", "provenance", "--param", "label=双百工程", "--format", "csv")
    assert res.exit_code == 0, res.output
    assert "programme/shuangbai" in res.output
    hostile = 'x" } ?s ?p ?o . FILTER(true) VALUES ?label { "y'
    res = run(runner, "query", "provenance", "--param", f"label={hostile}", "--format", "csv")
    assert res.exit_code == 0, res.output
    assert res.output.strip() == "label,entity,start,end,quote"


def test_queries_lists_every_named_query(runner):
    res = run(runner, "queries")
    assert res.exit_code == 0
    names = {line.split("\t")[0] for line in res.output.splitlines()}
    assert {p.stem for p in (ROOT / "queries").glob("*.rq")} == names


def test_validate_conforms_and_json(runner):
    res = run(runner, "validate")
    assert res.exit_code == 0, res.output
    assert res.output.startswith("conforms")
    res = run(runner, "validate", "--format", "json")
    assert json.loads(res.output)["conforms"] is True


def test_validate_nonconforming_data_exits_1_and_names_the_node(runner):
    res = run(runner, "--data", str(DATA / "nonconforming.ttl"), "validate")
    assert res.exit_code == 1
    assert "measurement/bad" in res.output
    assert "mzkg:value" in res.output and "rdfs:label" in res.output and "prov:wasDerivedFrom" in res.output


@pytest.fixture(scope="module")
def exports():
    from click.testing import CliRunner

    r = CliRunner()
    return {
        fmt: r.invoke(main, ["export", "--format", fmt]).output for fmt in ["turtle", "nt", "nquads", "trig", "json-ld", "xml"]
    }


def test_export_formats_round_trip_to_the_same_graph(exports):
    reference = Graph().parse(data=exports["nt"], format="nt")
    assert len(reference) > 5000
    for fmt in ("turtle", "json-ld", "xml"):
        assert isomorphic(Graph().parse(data=exports[fmt], format=fmt), reference), fmt
    for fmt in ("nquads", "trig"):
        ds = Dataset()
        ds.parse(data=exports[fmt], format=fmt)
        union = Graph()
        for g in ds.graphs():
            for t in g:
                union.add(t)
        assert isomorphic(union, reference), fmt
        assert len(list(ds.graphs())) > 5


def test_export_is_byte_identical_across_runs(runner, exports, tmp_path):
    for fmt in ("turtle", "nquads", "json-ld"):
        out = tmp_path / f"dump.{fmt}"
        res = run(runner, "export", "--format", fmt, "-o", str(out))
        assert res.exit_code == 0
        assert out.read_text(encoding="utf-8") == exports[fmt], fmt
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(out.stat().st_mode) == 0o666 & ~umask  # as open() would make it, not mkstemp's 0600


def test_stats(runner):
    res = run(runner, "stats")
    assert res.exit_code == 0
    assert re.search(r"triples: \d{4,}", res.output)
    assert "mzkg:Task" in res.output and "data/statements.ttl" in res.output
    doc = json.loads(run(runner, "stats", "--format", "json").output)
    assert doc["classes"]["mzkg:Measurement"] == 24


@pytest.mark.parametrize("label", ["雙百工程", "双百工程", "Marriage registration", "marriage registration"])
def test_describe_by_label_in_any_script(runner, label):
    res = run(runner, "describe", label)
    assert res.exit_code == 0, res.output
    assert "source: 「" in res.output
    assert "「" in res.output.split("mentioned by:")[-1]


def test_describe_substring_fallback_and_unknown(runner):
    res = run(runner, "describe", "福利彩")
    assert res.exit_code == 0 and "programme/fuli-caipiao" in res.output
    res = run(runner, "describe", "無此實體")
    assert res.exit_code == 1  # not found, like grep
    assert "no entity has a label" in res.output and "Traceback" not in res.output


def test_describe_says_which_entity_it_chose_and_lists_the_others(runner):
    res = run(runner, "describe", "双百")
    assert res.exit_code == 0
    assert res.stdout.startswith("https://w3id.org/mzkg/id/programme/shuangbai\n")
    assert "also matches" in res.stderr and "actor/shuangbai-shegong" in res.stderr
    everything = run(runner, "describe", "双百", "--all")
    assert everything.stdout.count("\n  labels: ") > 2


def test_coverage_command(runner):
    res = run(runner, "coverage")
    assert res.exit_code == 0, res.output
    assert "figures: 34/34 encoded (100.0%)" in res.output


# --- bad input: one line, exit 2, no traceback


def _one_line_error(res, *needles):
    assert res.exit_code == 2, res.output
    lines = [line for line in res.output.splitlines() if line.strip()]
    assert len(lines) <= 2, res.output
    assert "Traceback" not in res.output
    for n in needles:
        assert n in res.output, res.output


def test_bad_data_file_names_file_and_line(runner):
    res = run(runner, "--data", str(DATA / "malformed.ttl"), "stats")
    _one_line_error(res, "malformed.ttl:5")


def test_data_not_utf8(runner):
    _one_line_error(run(runner, "--data", str(DATA / "not-utf8.ttl"), "stats"), "not UTF-8")


def test_missing_data_path(runner):
    _one_line_error(run(runner, "--data", "no/such/file.ttl", "stats"), "no such file")


def test_bad_sparql_gives_line_and_column(runner):
    res = run(runner, "query", "--sparql", "SELECT ?s WHERE {\n  ?s ?p \n}")
    _one_line_error(res, "SPARQL syntax error")
    assert re.search(r"at line 2, column \d+ \(near '\?s \?p'\)", res.output), res.output
    res = run(runner, "query", "--engine", "rdflib", "--sparql", "SELECT ?s WHERE {\n  ?s ?p \n}")
    _one_line_error(res, "SPARQL syntax error")
    assert re.search(r"at line \d+, column \d+ \(near '.+'\)", res.output), res.output


def test_empty_query(runner):
    _one_line_error(run(runner, "query", "--sparql", "  "), "empty query")
    _one_line_error(run(runner, "query", "--engine", "rdflib", "--sparql", ""), "empty query")


def test_unknown_query_name_suggests_nearest(runner):
    _one_line_error(run(runner, "query", "kuasheng-service"), "unknown query name", "kuasheng-services")


def test_unknown_parameter(runner):
    _one_line_error(run(runner, "query", "provenance", "--param", "nope=1"), "unknown parameter 'nope'", "label")


def test_unknown_format(runner):
    res = run(runner, "export", "--format", "yaml")
    assert res.exit_code == 2 and "Traceback" not in res.output
    _one_line_error(run(runner, "query", "agencies", "--format", "turtle"), "choose one of")


def test_construct_answers_rdf(runner):
    res = run(runner, "query", "--sparql", "CONSTRUCT WHERE { ?n a mzkg:TieredNetwork }")
    assert res.exit_code == 0 and res.output.count("mzkg:TieredNetwork") == 4
    res = run(runner, "query", "--sparql", "CONSTRUCT WHERE { ?n a mzkg:TieredNetwork }", "--format", "nt")
    assert res.output.count(" .\n") == 4


def test_update_and_service_are_refused(runner):
    _one_line_error(run(runner, "query", "--sparql", "INSERT DATA { <urn:a> <urn:b> <urn:c> }"), "Update is not allowed")
    _one_line_error(
        run(runner, "query", "--sparql", "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"),
        "SERVICE is not allowed",
    )


def test_unwritable_output_leaves_nothing(runner, tmp_path):
    target = tmp_path / "no-such-dir" / "dump.ttl"
    _one_line_error(run(runner, "export", "-o", str(target)), "cannot write")
    assert not target.exists()
    assert list(tmp_path.iterdir()) == []


@pytest.mark.slow
def test_installed_entry_point_runs(tmp_path):
    exe = shutil.which("mzkg", path=str(Path(sys.executable).parent))
    assert exe, "the mzkg console script is not installed next to this Python"
    res = subprocess.run(
        [exe, "query", "wushe-participants", "--format", "csv"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert res.returncode == 0, res.stderr
    assert len(res.stdout.splitlines()) == 6


@pytest.mark.slow
def test_ctrl_c_says_interrupted_and_exits_130(tmp_path):
    import signal
    import subprocess
    import sys
    import time
    from pathlib import Path

    report = tmp_path / "long.txt"
    sentence = "全市新增养老床位1,200张，改造特殊困难老年人家庭2,700余户，城乡低保标准提高到每人每月1,130元。\n"
    report.write_text("某市民政局2024年工作总结（虚构）\n" + sentence * 6000, encoding="utf-8")
    proc = subprocess.Popen(
        [str(Path(sys.executable).parent / "mzkg"), "draft", str(report), "-o", str(tmp_path / "out")],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    time.sleep(3)  # drafting well under way (it takes far longer than this)
    assert proc.poll() is None
    proc.send_signal(signal.SIGINT)
    _out, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert err.rstrip().endswith("mzkg: interrupted") and "Aborted!" not in err and "Traceback" not in err
    assert not (tmp_path / "out" / "long.ttl").exists() and not (tmp_path / "out" / "source" / "long.txt").exists()
