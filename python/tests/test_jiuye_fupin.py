"""The Python package gives the decisions of payouts.csv, with Decimal amounts and errors
that say where."""

import csv
import os
import shutil
from decimal import Decimal
from pathlib import Path

import pytest

import jiuye_fupin

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "src" / "sample"

L002 = {
    "id": "YX-L002",
    "poverty_status": "lifted",
    "able_to_work": True,
    "work_destination": "out_of_county",
    "departure_date": "2020-02-20",
    "transport_cost": "523.40",
}


def test_a_folder_of_csv_gives_the_rows_of_payouts_csv():
    rows = jiuye_fupin.payouts(str(SAMPLE), as_of="2020-04-01")
    with open(SAMPLE / "expected.csv", encoding="utf-8") as f:
        expected = list(csv.DictReader(f))
    assert len(rows) == len(expected)
    for got, want in zip(rows, expected):
        assert got["program"] == want["program"]
        assert got["subject_id"] == want["subject_id"]
        assert got["eligible"] == (want["eligible"] == "true")
        assert isinstance(got["amount"], Decimal)
        assert got["amount"] == Decimal(want["amount"])
        assert str(got["amount"]) == want["amount"]
        assert ";".join(got["reasons"]) == want["reasons"]


def test_a_dict_of_records_gives_the_same_decisions_as_its_csv():
    rows = jiuye_fupin.payouts({"laborers": [L002]})
    assert rows[0] == {
        "program": "transport_subsidy",
        "subject_id": "YX-L002",
        "eligible": True,
        "amount": Decimal("500.00"),
        "reasons": ["capped"],
    }
    decimal_cost = dict(L002, transport_cost=Decimal("523.40"))
    assert jiuye_fupin.payouts({"laborers": [decimal_cost]}) == rows


def test_payouts_are_the_evaluations_decisions_without_their_explanations():
    keys = ("program", "subject_id", "eligible", "amount", "reasons")
    odd_ids = ['L,1', 'L"2', "张三,\"四\"", "L 4"]
    data = {"laborers": [dict(L002, id=i) for i in odd_ids]}
    for roster in (str(SAMPLE), data):
        rows = jiuye_fupin.payouts(roster)
        explained = jiuye_fupin.evaluate(roster)["decisions"]
        assert rows == [{k: d[k] for k in keys} for d in explained]
    assert [r["subject_id"] for r in jiuye_fupin.payouts(data)][::3] == odd_ids


def test_nan_is_an_empty_cell_and_a_policy_file_can_be_given():
    rows = jiuye_fupin.payouts({"laborers": [dict(L002, isolation_start=float("nan"))]})
    assert rows[0]["amount"] == Decimal("500.00")
    county = jiuye_fupin.evaluate(str(SAMPLE), policy=str(ROOT / "policies" / "example-county.toml"))
    yang = jiuye_fupin.evaluate(str(SAMPLE))
    assert county["receipt"]["policy_sha256"] != yang["receipt"]["policy_sha256"]
    with pytest.raises(ValueError):
        jiuye_fupin.payouts(str(SAMPLE), policy=str(ROOT / "no-such-policy.toml"))


def test_a_float_amount_is_refused_and_the_error_says_where():
    with pytest.raises(jiuye_fupin.InputError) as e:
        jiuye_fupin.payouts({"laborers": [L002, dict(L002, id="L3", transport_cost=523.4)]})
    p = e.value.problems[0]
    assert (p["list"], p["index"], p["id"], p["field"], p["value"]) == (
        "laborers", 1, "L3", "transport_cost", "523.4")
    assert "is a JSON number" in str(e.value)


def test_a_bad_csv_cell_names_file_line_column_and_value(tmp_path):
    for name in ("laborers.csv", "enterprises.csv", "posts.csv"):
        shutil.copy(SAMPLE / name, tmp_path / name)
    lines = (tmp_path / "laborers.csv").read_text(encoding="utf-8").splitlines()
    lines[2] = lines[2].replace(",lifted,", ",poor,", 1)
    (tmp_path / "laborers.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(jiuye_fupin.InputError) as e:
        jiuye_fupin.payouts(tmp_path)
    err = e.value
    assert err.file.endswith("laborers.csv")
    assert (err.line, err.column, err.value) == (3, "poverty_status", "poor")
    assert isinstance(err, ValueError)


def test_the_explanation_audit_and_comparison():
    e = jiuye_fupin.evaluate({"laborers": [L002]}, lang="zh")
    d = e["decisions"][0]
    assert d["citation"]["rule"] == "R1"
    assert d["steps"] and "500.00" in d["steps"][0]
    assert e["receipt"]["policy_sha256"]
    assert all(isinstance(t["amount"], Decimal) for t in e["totals"])

    findings = jiuye_fupin.audit(str(SAMPLE))
    assert any(f["kind"] == "ghost_post" for f in findings)

    c = jiuye_fupin.compare(str(SAMPLE), str(ROOT / "policies" / "reforms" / "transport-cap-600.toml"))
    assert c["changed"]
    assert all(isinstance(p["after"]["amount"], Decimal) for p in c["programs"])
    as_dict = jiuye_fupin.compare(str(SAMPLE), {"name": "transport cap 600 from 2020-03-01", "change": [
        {"parameter": "transport_subsidy.cap", "effective_from": "2020-03-01", "value": "600.00"}]})
    assert as_dict["changed"] == c["changed"]


def test_a_dataframe_when_pandas_is_there():
    pytest.importorskip("pandas")
    df = jiuye_fupin.payouts_frame(str(SAMPLE))
    assert list(df.columns) == ["program", "subject_id", "eligible", "amount", "reasons"]
    assert isinstance(df["amount"].iloc[0], Decimal)
    # DataFrames in: NaN is an empty cell, numpy integers are integers.
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame([L002, {"id": "L9", "isolation_days": 3}])
    rows = jiuye_fupin.payouts({"laborers": frame})
    assert rows[0]["amount"] == Decimal("500.00")
    assert [r["subject_id"] for r in rows[3:]] == ["L9"] * 3


def test_the_package_documentation_examples_run():
    import doctest

    assert doctest.testmod(jiuye_fupin).failed == 0


def test_encodings_and_clerk_forms_read_as_the_examples_read_them(tmp_path):
    # A GBK folder: read by default (sniffed) and with encoding="gbk"; refused as UTF-8.
    gbk = tmp_path / "gbk"
    gbk.mkdir()
    for name in ("laborers.csv", "posts.csv", "enterprises.csv"):
        text = (SAMPLE / name).read_text(encoding="utf-8")
        (gbk / name).write_bytes(text.encode("gb18030"))
    laborer_rules = ("transport_subsidy", "isolation_allowance", "startup_grant")
    want = [r for r in jiuye_fupin.payouts(str(SAMPLE)) if r["program"] in laborer_rules]
    for encoding in ("auto", "gbk", "gb18030"):
        got = jiuye_fupin.payouts(str(gbk), encoding=encoding)
        assert [r for r in got if r["program"] in laborer_rules] == want, encoding
    with pytest.raises(jiuye_fupin.InputError) as e:
        jiuye_fupin.payouts(str(gbk), encoding="utf-8")
    assert "not UTF-8" in str(e.value)
    with pytest.raises(ValueError):
        jiuye_fupin.payouts(str(gbk), encoding="latin-1")

    # The clerk forms of a date and an amount: refused by default, read when asked for.
    clerk = dict(L002, departure_date="2020年2月20日", transport_cost="¥523.40")
    with pytest.raises(jiuye_fupin.InputError) as e:
        jiuye_fupin.payouts({"laborers": [clerk]})
    assert e.value.column == "departure_date"
    rows = jiuye_fupin.payouts({"laborers": [clerk]}, clerk_formats=True)
    assert rows == jiuye_fupin.payouts({"laborers": [L002]})


def test_a_decimal_in_exponent_form_is_its_amount_and_one_not_finite_is_refused():
    # Decimal("500.00").normalize() is 5E+2: the same amount, written out digit by digit.
    for cost, text in ((Decimal("500.00").normalize(), "500"), (Decimal("1E+3"), "1000"),
                       (Decimal("1E-7"), "0.0000001")):
        as_text = jiuye_fupin.payouts({"laborers": [dict(L002, transport_cost=text)]})
        assert jiuye_fupin.payouts({"laborers": [dict(L002, transport_cost=cost)]}) == as_text
    for cost in (Decimal("NaN"), Decimal("Infinity"), Decimal("-Infinity")):
        with pytest.raises(jiuye_fupin.InputError) as e:
            jiuye_fupin.payouts({"laborers": [dict(L002, transport_cost=cost)]})
        p = e.value.problems[0]
        assert (p["list"], p["index"], p["field"]) == ("laborers", 0, "transport_cost")
        assert "is not an amount" in str(e.value)


def test_a_float_that_is_not_finite_is_refused_where_it_is_and_a_huge_integer_shown_as_sent():
    big = 10**40
    for value, shown in ((float("inf"), "inf"), (float("-inf"), "-inf"), (big, str(big))):
        with pytest.raises(jiuye_fupin.InputError) as e:
            jiuye_fupin.payouts({"laborers": [L002, dict(L002, id="L3", transport_cost=value)]})
        p = e.value.problems[0]
        assert (p["list"], p["index"], p["id"], p["field"], p["value"]) == (
            "laborers", 1, "L3", "transport_cost", shown)
        assert f"field transport_cost: {shown} is a JSON number" in str(e.value)
        assert f"transport_cost: {shown} is a JSON number" in p["message"]
    # A count too, in either language.
    with pytest.raises(jiuye_fupin.InputError) as e:
        jiuye_fupin.payouts({"laborers": [dict(L002, isolation_days=float("inf"))]}, lang="zh")
    assert e.value.problems[0]["value"] == "inf"
    assert "isolation_days 字段: inf " in str(e.value)
    # NaN stays an empty cell.
    nan = jiuye_fupin.payouts({"laborers": [dict(L002, isolation_days=float("nan"))]})
    assert nan == jiuye_fupin.payouts({"laborers": [L002]})


def test_a_reform_file_that_cannot_be_read_is_an_error_naming_it(tmp_path):
    for missing in ("/nope/reform.toml", "nope", str(tmp_path / "cap.json"), tmp_path / "cap"):
        with pytest.raises(ValueError) as e:
            jiuye_fupin.compare(str(SAMPLE), missing)
        assert f"cannot read reform file {missing}: " in str(e.value)
        assert "No such file" in str(e.value)
    with pytest.raises(ValueError) as e:
        jiuye_fupin.compare(str(SAMPLE), str(SAMPLE))
    assert f"cannot read reform file {SAMPLE}: not a regular file" in str(e.value)
    # A file in GBK: named, with what to do; a policy file too.
    text = (ROOT / "policies" / "reforms" / "transport-cap-600.toml").read_text(encoding="utf-8")
    gbk = tmp_path / "reform.toml"
    gbk.write_bytes(("# 运输补贴\n" + text).encode("gbk"))
    for call, what in ((lambda: jiuye_fupin.compare(str(SAMPLE), gbk), "reform file"),
                       (lambda: jiuye_fupin.payouts(str(SAMPLE), policy=str(gbk)), "policy file")):
        with pytest.raises(ValueError) as e:
            call()
        # Where: the first byte that is not UTF-8, after the "# " of line 1.
        assert f"cannot read {what} {gbk}: line 1, column 3: not UTF-8 text" in str(e.value)
        assert "save it as UTF-8" in str(e.value)
    # TOML text is still a document, and a path a file.
    (tmp_path / "utf8.toml").write_text(text, encoding="utf-8")
    by_path = jiuye_fupin.compare(str(SAMPLE), tmp_path / "utf8.toml")
    assert jiuye_fupin.compare(str(SAMPLE), text)["changed"] == by_path["changed"]


def test_pandas_dates_and_missing_values_are_cells(tmp_path):
    pd = pytest.importorskip("pandas")
    import datetime

    df = pd.read_csv(SAMPLE / "laborers.csv", dtype={"transport_cost": str},
                     parse_dates=["departure_date", "isolation_start", "store_opened_date"])
    shutil.copy(SAMPLE / "laborers.csv", tmp_path / "laborers.csv")
    assert jiuye_fupin.payouts({"laborers": df}) == jiuye_fupin.payouts(str(tmp_path))

    want = jiuye_fupin.payouts({"laborers": [L002]})
    for date in (pd.Timestamp("2020-02-20"), datetime.datetime(2020, 2, 20), datetime.date(2020, 2, 20)):
        assert jiuye_fupin.payouts({"laborers": [dict(L002, departure_date=date)]}) == want
    empty = jiuye_fupin.payouts({"laborers": [dict(L002, isolation_start=None)]})
    for missing in (pd.NaT, pd.NA, float("nan")):
        assert jiuye_fupin.payouts({"laborers": [dict(L002, isolation_start=missing)]}) == empty
    for timed, shown in ((pd.Timestamp("2020-02-20 08:30"), '"2020-02-20T08:30:00"'),
                         (pd.Timestamp("2020-02-20", tz="Asia/Shanghai"), '"2020-02-20T00:00:00+08:00"')):
        with pytest.raises(jiuye_fupin.InputError) as e:
            jiuye_fupin.payouts({"laborers": [dict(L002, departure_date=timed)]})
        p = e.value.problems[0]
        assert (p["index"], p["field"], p["value"]) == (0, "departure_date", shown)
        assert "is not a date" in p["message"]


def test_as_of_is_read_as_strictly_as_the_dates_in_files():
    for as_of in ("1-1-1", "+262142-12-31", "2020-4-1", " 2020-04-01"):
        with pytest.raises(ValueError, match="is not a date"):
            jiuye_fupin.payouts({"laborers": [L002]}, as_of=as_of)
    assert jiuye_fupin.payouts({"laborers": [L002]}, as_of="2020-04-01")


def test_a_bad_as_of_is_said_in_lang():
    # It was English whatever lang said.
    for fn in (jiuye_fupin.payouts, jiuye_fupin.evaluate, jiuye_fupin.audit):
        with pytest.raises(ValueError, match=r'^as_of "2020-02-30" 不是日期 \(YYYY-MM-DD\)$'):
            fn({"laborers": [L002]}, as_of="2020-02-30", lang="zh")
        with pytest.raises(ValueError, match=r'^as_of "2020-02-30" is not a date'):
            fn({"laborers": [L002]}, as_of="2020-02-30", lang="en")


def test_a_bad_policy_file_is_an_error_in_lang(tmp_path):
    text = (ROOT / "policies" / "yang-county-2020.toml").read_text(encoding="utf-8")
    bad = tmp_path / "county.toml"
    bad.write_text(text.replace('value = "500.00"', 'value = "-5"', 1), encoding="utf-8")
    with pytest.raises(ValueError) as e:
        jiuye_fupin.payouts(str(SAMPLE), policy=str(bad), lang="zh")
    assert str(e.value) == (
        f'政策文件 {bad} 无效：参数 transport_subsidy.cap[0].value，第 24 行第 44 列："-5" 为负数'
    )
    with pytest.raises(ValueError) as e:
        jiuye_fupin.evaluate(str(SAMPLE), policy=str(bad))
    assert str(e.value).startswith(f"invalid policy file {bad}, at transport_subsidy.cap[0].value")
    assert '"-5" is negative' in str(e.value)
    with pytest.raises(ValueError) as e:
        jiuye_fupin.audit(str(SAMPLE), policy=str(tmp_path / "none.toml"), lang="zh")
    assert str(e.value) == f"无法读取政策文件 {tmp_path / 'none.toml'}：文件不存在"


def test_a_reform_dict_names_no_line_of_a_text_never_written():
    bad = {"name": "bad", "change": [
        {"parameter": "transport_subsidy.cap", "effective_from": "2020-03-01", "value": "-5"}]}
    with pytest.raises(ValueError) as e:
        jiuye_fupin.compare(str(SAMPLE), bad)
    assert str(e.value) == 'reform "bad", at transport_subsidy.cap from 2020-03-01: "-5" is negative'
    # In Chinese when asked, as the other functions' errors are.
    with pytest.raises(ValueError) as e:
        jiuye_fupin.compare(str(SAMPLE), bad, lang="zh")
    assert str(e.value) == '改革方案 "bad"，参数 transport_subsidy.cap（2020-03-01 起）："-5" 为负数'
    with pytest.raises(ValueError, match=r"^无法读取 .*no-such\.toml：文件不存在$"):
        jiuye_fupin.compare(str(SAMPLE), "no-such.toml", lang="zh")


def test_as_of_may_be_a_date_and_policy_a_path():
    import datetime

    policy = ROOT / "policies" / "yang-county-2020.toml"
    as_text = jiuye_fupin.payouts(str(SAMPLE), as_of="2020-03-01", policy=str(policy))
    for as_of in (datetime.date(2020, 3, 1), datetime.datetime(2020, 3, 1)):
        assert jiuye_fupin.payouts(SAMPLE, as_of=as_of, policy=policy) == as_text
        assert jiuye_fupin.audit(SAMPLE, as_of=as_of, policy=policy) == jiuye_fupin.audit(
            str(SAMPLE), as_of="2020-03-01", policy=str(policy)
        )
    # A time of day is not a date: refused as the text of one would be.
    with pytest.raises(ValueError, match=r'^as_of "2020-03-01T08:00:00" is not a date'):
        jiuye_fupin.payouts(SAMPLE, as_of=datetime.datetime(2020, 3, 1, 8), lang="en")
    with pytest.raises(TypeError, match="as_of: int"):
        jiuye_fupin.payouts(SAMPLE, as_of=20200301)
    with pytest.raises(ValueError, match="no/such/policy.toml"):
        jiuye_fupin.payouts(SAMPLE, policy=Path("no/such/policy.toml"))


def test_compare_names_the_changes_no_decision_shows():
    deadline = {"name": "deadline", "change": [
        {"parameter": "post_compliance.payment_deadline_day", "effective_from": "2020-03-01",
         "value": 10}]}
    c = jiuye_fupin.compare(str(SAMPLE), deadline)
    assert c["changed"] == []
    assert c["not_compared"] == [{"parameter": "post_compliance.payment_deadline_day",
                                  "effective_from": "2020-03-01", "why": "audit"}]


def test_an_evaluated_decision_names_the_parameters_that_decided_it():
    decisions = jiuye_fupin.evaluate({"laborers": [L002]})["decisions"]
    transport = next(d for d in decisions if d["program"] == "transport_subsidy")
    cap = next(p for p in transport["parameters"] if p["name"] == "cap")
    assert cap["value"] == "500.00"
    assert cap["effective_from"] <= "2020-04-01"


def test_an_id_longer_than_the_csv_modules_field_limit_is_read_back_whole():
    # payouts() read the rows with the csv module, whose fields stop at 128 KiB: a valid
    # roster's decisions raised _csv.Error.
    long_id = "L" + "x" * 200_000
    quoted = dict(L002, id='YX-L002, "甲"')
    rows = jiuye_fupin.payouts({"laborers": [{"id": long_id}, quoted]})
    assert [r["subject_id"] for r in rows[::3]] == [long_id, 'YX-L002, "甲"']
    assert rows[3]["amount"] == Decimal("500.00")


def test_a_workbook_cell_problem_names_the_workbook_sheet_row_column_and_value():
    book = ROOT / "tests" / "fixtures" / "formula-without-value-openpyxl.xlsx"
    with pytest.raises(jiuye_fupin.InputError) as e:
        jiuye_fupin.payouts(book)
    err = e.value
    assert err.file.endswith("formula-without-value-openpyxl.xlsx [laborers]")
    assert (err.line, err.column, err.value) == (2, "transport_cost", "=500+23.4")


def test_bytes_that_are_not_gb18030_name_the_line(tmp_path):
    header = (SAMPLE / "laborers.csv").read_text(encoding="utf-8").splitlines()[0]
    fields = header.count(",")
    (tmp_path / "laborers.csv").write_bytes(
        header.encode() + b"\nL1" + b"," * fields + b"\nL2,\x81\x20" + b"," * (fields - 1) + b"\n")
    with pytest.raises(jiuye_fupin.InputError) as e:
        jiuye_fupin.payouts(tmp_path, encoding="gb18030")
    assert e.value.file.endswith("laborers.csv") and e.value.line == 3, e.value.problems


def test_an_amount_too_large_to_compute_is_an_input_error_naming_its_record(tmp_path):
    # It was a bare ValueError naming the program and the subject alone.
    big = "79228162514264337593543950335"
    refund = {"id": "E1", "kind": "other", "ui_insured": True, "ui_insured_months": 12,
              "insured_headcount": 10, "layoffs": 0, "prior_year_ui_paid": big,
              "application_date": "2020-03-01"}
    data = {"laborers": [L002], "enterprises": [{"id": "E0"}, refund]}
    (tmp_path / "startup_centers.csv").write_text(
        "id,name,level,town,year,claimed_rent,claimed_utilities\n"
        f"C0,n,town,t,2020,1,1\nC1,n,town,t,2020,{big},1\n", encoding="utf-8")
    reform = str(ROOT / "policies" / "reforms" / "transport-cap-600.toml")
    calls = {
        "payouts": lambda d, lang: jiuye_fupin.payouts(d, lang=lang),
        "evaluate": lambda d, lang: jiuye_fupin.evaluate(d, lang=lang),
        "compare": lambda d, lang: jiuye_fupin.compare(d, reform, lang=lang),
    }
    said = {"en": "ui_refund for E1: amount too large", "zh": "失业保险稳岗返还 (ui_refund) 对象 E1："}
    for name, call in calls.items():
        for lang, colon in (("en", ": "), ("zh", "：")):
            with pytest.raises(jiuye_fupin.InputError) as e:
                call(data, lang)
            p = e.value.problems[0]
            assert (p["list"], p["index"], p["id"]) == ("enterprises", 1, "E1"), name
            assert str(e.value).startswith(f'enterprises[1] (id "E1"){colon}'), str(e.value)
            assert said[lang] in str(e.value)
            assert p["message"] == str(e.value)
            # The operation that did not fit, and the field at fault by its column.
            paid = {"term": "prior_year_ui_paid", "value": big}
            assert p["operation"] == {"op": "product", "lhs": {"term": "refund_rate", "value": "0.6"}, "rhs": paid}
            assert p["inputs"] == [{"term": "refund_rate", "value": "0.6"}, paid]
            assert "prior_year_ui_paid" in str(e.value)
            # A folder's record: its file and line.
            with pytest.raises(jiuye_fupin.InputError) as e:
                call(str(tmp_path), lang)
            assert e.value.file == str(tmp_path / "startup_centers.csv")
            assert e.value.line == 3
            line = "line 3: " if lang == "en" else "第 3 行："
            assert f"startup_centers.csv {line}" in str(e.value)
    # The audit computes no amount.
    assert jiuye_fupin.audit(data) == []


def test_a_total_too_large_is_an_input_error_naming_no_record():
    refund = {"kind": "other", "ui_insured": True, "ui_insured_months": 12,
              "insured_headcount": 10, "layoffs": 0,
              "prior_year_ui_paid": "100000000000000000000000000",
              "application_date": "2020-03-01"}
    data = {"enterprises": [dict(refund, id=f"E{i}") for i in range(2000)]}
    with pytest.raises(jiuye_fupin.InputError) as e:
        jiuye_fupin.payouts(data)
    assert str(e.value).startswith("ui_refund total: amount too large")
    assert e.value.problems == [{"message": str(e.value)}]


def test_a_dict_that_is_not_a_roster_names_where_as_the_service_does():
    cases = [
        ({"laborers": [None]}, "laborers[0]"),
        ({"laborers": "abc"}, "laborers"),
        ({"laborers": 5}, "laborers"),
        ({"laborers": {"id": "L1"}}, "laborers"),
        ({"laborerz": []}, "laborerz"),
    ]
    for data, at in cases:
        with pytest.raises(jiuye_fupin.InputError) as e:
            jiuye_fupin.payouts(data)
        assert e.value.problems[0]["at"] == at, e.value.problems
        assert str(e.value).startswith(f"{at}: "), str(e.value)


def test_a_folder_or_workbook_that_cannot_be_read_names_its_path(tmp_path):
    # The message named it; the problem and the exception's `file` did not.
    missing = tmp_path / "nowhere"
    (tmp_path / "empty").mkdir()
    (tmp_path / "not-a-folder.csv").write_text("x\n", encoding="utf-8")
    (tmp_path / "broken.xlsx").write_bytes(b"not a zip")
    for path in (missing, tmp_path / "empty", tmp_path / "not-a-folder.csv", tmp_path / "broken.xlsx"):
        for call in (jiuye_fupin.payouts, jiuye_fupin.evaluate, jiuye_fupin.audit):
            with pytest.raises(jiuye_fupin.InputError) as e:
                call(str(path), lang="en")
            assert e.value.file == str(path), (call, path, e.value.problems)
            assert e.value.problems[0]["message"] == str(e.value)
