def test_dataframes_keep_languages_and_prefer_one(kg):
    import mzkg

    res = mzkg.query("SELECT ?p ?label WHERE { ?p a mzkg:Programme ; rdfs:label ?label } ORDER BY ?p", kg=kg)
    frame = res.to_dataframe()
    assert list(frame.columns) == ["p", "label", "label_lang"]
    assert set(frame["label_lang"].str.lower()) == {"en", "zh-hant", "zh-hans"}
    one = res.to_dataframe(lang="zh-Hant")
    assert len(one) == frame["p"].nunique() and set(one["label_lang"].str.lower()) == {"zh-hant"}
    english = res.prefer("en")
    assert len(english) == len(one) and all(row[1].lang.lower() == "en" for row in english.rows)


def test_one_typing_rule_years_ints_decimals_floats(kg):
    import mzkg

    frame = mzkg.query(
        "SELECT ?y ?v ?n WHERE { <https://w3id.org/mzkg/id/period/2021> mzkg:year ?y . BIND (130.2 AS ?v) BIND (3 AS ?n) }",
        kg=kg,
    ).to_dataframe()
    assert frame["y"].dtype.name == "int64" and frame["y"][0] == 2021
    assert frame["v"].dtype.name == "float64" and frame["n"].dtype.name == "int64"


def test_prefer_keeps_rows_whose_values_are_not_labels(kg):
    import mzkg

    res = mzkg.query("SELECT ?v WHERE { <https://w3id.org/mzkg/id/programme/shuangbai> ?p ?v }", kg=kg)
    assert len(res.prefer("en")) == len(res)  # IRIs and labels in one column: nothing competes
