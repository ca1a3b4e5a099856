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
