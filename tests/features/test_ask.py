"""`mzkg ask`: a question in words → a named question, its parameters filled from the graph, its rows; no answer
when nothing fits. (How well it does on held-out questions is measured by benchmarks/ask.py, not here.)"""

from __future__ import annotations

import json

import pytest

from mzkg.core.sparql.catalogue import named_queries
from mzkg.features.ask import Asker, read_phrasings, tokens
from mzkg.interfaces.cli import main


@pytest.fixture(scope="module")
def asker(kg) -> Asker:
    return Asker(kg)


def test_every_named_question_is_phrased_five_ways_in_each_script():
    book = read_phrasings()
    assert set(book) == set(named_queries())
    for name, scripts in book.items():
        for script in ("zh-Hant", "zh-Hans", "en"):
            assert len(set(scripts.get(script, []))) >= 5, (name, script)


def test_names_in_a_question_become_their_classes_and_fill_parameters(asker):
    mentions = asker.mentions("2022年对老年人有哪些工作任务")
    assert [m.label for m in mentions] == ["老年人"]
    shaped = asker._shaped("2022年对老年人有哪些工作任务", mentions)
    assert "⟨TargetGroup⟩" in shaped and "⟨year⟩" in shaped and "老年人" not in shaped
    # the group fills a group parameter itself, and an area parameter with the area it belongs to
    assert asker.fill("tasks-by-group", mentions) == {"group": "老年人"}
    assert asker.fill("tasks-by-area", mentions) == {"area": "養老服務"}
    # an entity parameter takes any entity; a Simplified or English name is found as well
    assert asker.fill("link-between", asker.mentions("双百工程和社工站有什么关系")) == {"a": "雙百工程", "b": "社工站"}
    assert next(m.entities for m in asker.mentions("tasks for older people")) == ("https://w3id.org/mzkg/id/group/laonianren",)


def test_tokens_are_words_and_character_pairs():
    assert tokens("tasks for children") == ["task", "children"]
    assert tokens("養老服務") == ["養", "老", "服", "務", "養老", "老服", "服務"]
    assert tokens("⟨year⟩ 的 ⟨TargetGroup⟩") == ["⟨year⟩", "⟨TargetGroup⟩"]


def test_a_question_is_answered_with_its_rows_and_its_query(runner):
    res = runner.invoke(main, ["ask", "社工站覆盖率"])
    assert res.exit_code == 0, res.output
    assert "mzkg query indicator-series; label=社工站覆蓋率" in res.output
    assert "100%" in res.output and "SELECT" in res.output  # the rows, then the query to learn from
    res = runner.invoke(main, ["ask", "社工站覆盖率", "--format", "json"])
    doc = json.loads(res.stdout)
    assert doc["query"] == "indicator-series" and doc["params"] == {"label": "社工站覆蓋率"}
    assert doc["rows"] and doc["rows"][0]["written"] == "100%"


def test_nothing_fits_well_enough_no_answer_and_the_nearest(runner):
    for question in ("今天天氣怎麼樣", "深圳房价会不会跌"):
        res = runner.invoke(main, ["ask", question])
        assert res.exit_code == 1
        assert "no named question fits" in res.stderr and res.stderr.count("\n  ") == 3
        doc = json.loads(runner.invoke(main, ["ask", question, "--format", "json"]).stdout)
        assert doc["answer"] is None and len(doc["nearest"]) == 3


def test_a_year_the_graph_has_no_rows_for_is_no_answer(asker):
    answer = asker.ask("2019年养老服务领域有哪些任务")
    assert answer.chosen is None and "no rows for 2019" in answer.reason
    answer = asker.ask("2022年养老服务领域有哪些任务")
    assert answer.chosen is not None and answer.year == "2022"
    assert {r["year"] for r in answer.result.records()} == {2022} or {str(r["year"]) for r in answer.result.records()} == {"2022"}


def test_an_empty_question_is_a_one_line_error(runner):
    res = runner.invoke(main, ["ask", "  "])
    assert res.exit_code == 1 and res.stderr.startswith("mzkg: error: ask needs a question")


def test_the_ask_page_answers_and_declines(kg):
    from starlette.testclient import TestClient

    from mzkg.interfaces.server import create_app

    with TestClient(create_app(kg)) as c:
        page = c.get("/ask", params={"q": "社工站覆盖率"})
        assert page.status_code == 200 and 'id="chosen"' in page.text and "indicator-series" in page.text
        assert "100%" in page.text and "SELECT DISTINCT" in page.text
        none = c.get("/ask", params={"q": "今天天氣怎麼樣"})
        assert 'id="none"' in none.text and none.text.count("<li><code>") == 3
        assert 'href="/ask"' in c.get("/").text
