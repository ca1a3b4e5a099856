//! JSON rosters read as the CSV files are (the one reader): the same values accepted and
//! refused with the same words; results in JSON; the committed schemas are current.

use jiuye_fupin::compare::CompareError;
use jiuye_fupin::io::{
    ENTERPRISE_COLUMNS, InputError, LABORER_COLUMNS, Origins, Problem, ReadOptions, RosterFiles,
    parse_roster_files,
};
use jiuye_fupin::json::{self, EvaluationRecord};
use jiuye_fupin::{EvalError, Lang, Policy, sample};
use serde_json::{Value, json};

/// The problem the CSV reader finds in a one-record file.
fn csv_problem(columns: &[&str], file: &str, record: &[(&str, &str)]) -> Option<Problem> {
    let row: Vec<String> = columns
        .iter()
        .map(|c| {
            let v = record.iter().find(|(k, _)| k == c).map_or("", |(_, v)| v);
            format!("\"{}\"", v.replace('"', "\"\""))
        })
        .collect();
    let text = format!("{}\n{}\n", columns.join(","), row.join(","));
    let files = match file {
        "laborers" => RosterFiles {
            laborers: Some(text.as_bytes()),
            ..Default::default()
        },
        _ => RosterFiles {
            enterprises: Some(text.as_bytes()),
            ..Default::default()
        },
    };
    match parse_roster_files(&files) {
        Ok(_) => None,
        Err(e) => match e.into_iter().next() {
            Some(InputError::Cell { problem, .. }) => Some(problem),
            other => panic!("{other:?}"),
        },
    }
}

/// The problem the JSON reader finds in the same record, its values as JSON strings
/// (booleans and counts as JSON booleans and integers when they read as such).
fn json_problem(list: &str, record: &[(&str, Value)]) -> Option<Problem> {
    let obj: serde_json::Map<String, Value> = record
        .iter()
        .map(|(k, v)| ((*k).to_owned(), v.clone()))
        .collect();
    match json::roster_from_value(&json!({ list: [obj] })) {
        Ok(_) => None,
        Err(e) => match e.into_iter().next() {
            Some(InputError::Field(f)) => Some(f.problem),
            other => panic!("{other:?}"),
        },
    }
}

#[test]
fn json_and_csv_accept_and_refuse_the_same_values_with_the_same_problem() {
    // Text cells: every value a clerk may write in a string field.
    let texts = [
        (
            "transport_cost",
            vec![
                "523.40",
                "-3.00",
                "abc",
                "1e3",
                " 12.5 ",
                "１２３．５０",
                "",
                "99999999999999999999999999999999",
            ],
        ),
        (
            "departure_date",
            vec![
                "2020-02-30",
                "2020-02-29",
                "2020/02/03",
                "２０２０－０３－０１",
                "",
            ],
        ),
        ("poverty_status", vec!["poor", "lifted", "LIFTED", ""]),
        ("work_destination", vec!["abroad", "out_of_county"]),
        ("id", vec!["", "L\u{200b}1", "L1"]),
    ];
    for (column, values) in texts {
        for v in values {
            let mut csv = vec![("id", "L1"), (column, v)];
            let mut js = vec![("id", json!("L1")), (column, json!(v))];
            if column == "id" {
                // (A CSV row of empty cells is no record; a JSON record is one.)
                csv[0] = ("town", "X");
                js[0] = ("town", json!("X"));
            }
            assert_eq!(
                csv_problem(LABORER_COLUMNS, "laborers", &csv),
                json_problem("laborers", &js),
                "{column} = {v:?}"
            );
        }
    }
    // Counts and booleans: JSON integers and booleans give the CSV cells' text.
    for (n, text) in [
        (json!(7), "7"),
        (json!(-1), "-1"),
        (json!(1.5), "1.5"),
        (json!(4294967296u64), "4294967296"),
    ] {
        assert_eq!(
            csv_problem(
                LABORER_COLUMNS,
                "laborers",
                &[("id", "L1"), ("isolation_days", text)]
            ),
            json_problem("laborers", &[("id", json!("L1")), ("isolation_days", n)]),
            "{text}"
        );
    }
    assert_eq!(
        csv_problem(
            ENTERPRISE_COLUMNS,
            "enterprises",
            &[("id", "E1"), ("layoffs", "3"), ("insured_headcount", "2")]
        ),
        json_problem(
            "enterprises",
            &[
                ("id", json!("E1")),
                ("layoffs", json!(3)),
                ("insured_headcount", json!(2))
            ]
        ),
    );
    assert_eq!(
        json_problem(
            "laborers",
            &[("id", json!("L1")), ("able_to_work", json!(true))]
        ),
        None
    );
}

#[test]
fn json_types_are_checked_and_money_is_never_a_number() {
    let first = |v: Value| {
        json::roster_from_value(&v)
            .unwrap_err()
            .into_iter()
            .next()
            .unwrap()
            .to_string()
    };
    assert_eq!(
        first(json!({"laborers": [{"id": "L1"}, {"id": "L2", "transport_cost": 523.4}]})),
        "laborers[1] (id \"L2\"), field transport_cost: 523.4 is a JSON number; write an amount as a string, like \"523.40\", so that no float rounds it"
    );
    assert_eq!(
        first(json!({"laborers": [{"id": "L1", "able_to_work": "true"}]})),
        "laborers[0] (id \"L1\"), field able_to_work: \"true\" is not a JSON boolean (true or false)"
    );
    assert_eq!(
        first(json!({"laborers": [{"id": "L1", "isolation_days": "3"}]})),
        "laborers[0] (id \"L1\"), field isolation_days: \"3\" is not a JSON integer"
    );
    assert_eq!(
        first(json!({"laborers": [{"id": 12}]})),
        "laborers[0], field id: 12 is not a JSON string"
    );
    assert!(first(json!({"laborers": [{"id": "L1", "transport_costs": "1.00"}]}))
        .starts_with("laborers[0] (id \"L1\"), field transport_costs: \"1.00\" is not a field of this list (expected one of: id, household_id,"));
    assert_eq!(
        first(json!({"laborers": [{"id": "L1"}, {"id": "L1"}]})),
        "laborers[1] (id \"L1\"), field id: \"L1\" appears twice (first at index 0)"
    );
    assert_eq!(
        first(json!({"post_months": [{"post_id": "P9", "month": "2020-03"}]})),
        "post_months[0] (id \"P9\"), field post_id: \"P9\" is not an id in posts.csv"
    );
    assert_eq!(
        first(json!({"workers": []})),
        "workers: is not a list of a roster (expected one of: laborers, enterprises, posts, loan_applications, startup_centers, post_months)"
    );
    assert_eq!(
        first(json!({"laborers": {}})),
        "laborers: is not a JSON array"
    );
    assert_eq!(
        first(json!({"laborers": [3]})),
        "laborers[0]: is not a JSON object"
    );
    assert_eq!(first(json!([])), "roster: is not a JSON object");
    let syntax = json::parse_roster(b"{\"laborers\": [")
        .unwrap_err()
        .to_string();
    assert!(
        syntax.starts_with("roster: is not JSON: EOF while parsing"),
        "{syntax}"
    );
    // Every problem, not just the first; `null` and absent are empty.
    let all = json::roster_from_value(&json!({"laborers": [
        {"id": "L1", "transport_cost": "-1"}, {"id": "L2", "departure_date": null}, {"id": "L3", "isolation_days": -2}
    ]})).unwrap_err();
    assert_eq!(all.len(), 2);
    // In Chinese too.
    assert_eq!(
        json::roster_from_value(&json!({"laborers": [{"id": "L1", "transport_cost": 5}]}))
            .unwrap_err()
            .first()
            .render(Lang::Zh),
        "laborers[0] (id \"L1\"), transport_cost 字段: 5 是 JSON 数字; 金额须写成字符串 (如 \"523.40\"), 以免被浮点数舍入"
    );
}

#[test]
fn the_sample_and_the_fixture_round_trip_through_json_with_the_same_decisions() {
    let policy = Policy::yang_county_2020();
    let as_of = "2020-04-01".parse().unwrap();
    for roster in [
        sample::roster(),
        jiuye_fupin::io::read_roster_dir(std::path::Path::new("tests/fixtures/n10000")).unwrap(),
    ] {
        let text = serde_json::to_vec(&json::roster_to_value(&roster)).unwrap();
        let back = json::parse_roster(&text).unwrap();
        assert_eq!(back, roster);
        let a = EvaluationRecord::evaluate(&policy, &roster, as_of, Lang::En).unwrap();
        let b = EvaluationRecord::evaluate(&policy, &back, as_of, Lang::En).unwrap();
        assert_eq!(a, b);
        // Owned: it outlives the roster, and survives a JSON round trip.
        drop(back);
        let again: EvaluationRecord =
            serde_json::from_slice(&serde_json::to_vec(&b).unwrap()).unwrap();
        assert_eq!(again, a);
    }
}

#[test]
fn the_json_decisions_are_the_rows_of_payouts_csv() {
    let policy = Policy::yang_county_2020();
    let eval = EvaluationRecord::evaluate(
        &policy,
        &sample::roster(),
        "2020-04-01".parse().unwrap(),
        Lang::Zh,
    )
    .unwrap();
    let rows: Vec<String> = eval
        .decisions
        .iter()
        .map(|d| {
            format!(
                "{},{},{},{},{}",
                d.program,
                d.subject_id,
                d.eligible,
                d.amount,
                d.reasons.join(";")
            )
        })
        .collect();
    let expected = include_str!("../src/sample/expected.csv");
    assert_eq!(rows, expected.lines().skip(1).collect::<Vec<_>>());
    let text = serde_json::to_value(&eval).unwrap();
    assert!(text["decisions"][0]["amount"].is_string());
    assert!(text["totals"][0]["amount"].is_string());
}

#[test]
fn the_committed_schemas_are_current() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("schema");
    let update = std::env::var_os("UPDATE_SCHEMA").is_some();
    for (name, schema) in json::schemas() {
        let path = dir.join(format!("{name}.schema.json"));
        let text = serde_json::to_string_pretty(&schema).unwrap() + "\n";
        if update {
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(&path, &text).unwrap();
        }
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            committed == text,
            "{} is not current: run `UPDATE_SCHEMA=1 cargo test --test json` and commit it",
            path.display()
        );
    }
}

#[test]
fn mutated_json_rosters_are_errors_or_rosters_never_a_panic() {
    let text = serde_json::to_vec(&json::roster_to_value(&sample::roster())).unwrap();
    let policy = Policy::yang_county_2020();
    let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let noise: &[&[u8]] = &[
        b"\"",
        b"-",
        b"1e999",
        b"null",
        b"[",
        b"}",
        b"true",
        b"\"\\u0000\"",
        b"0.5",
        "\u{3000}".as_bytes(),
    ];
    for _ in 0..600 {
        let mut bytes = text.clone();
        for _ in 0..1 + next() % 4 {
            let at = (next() as usize) % bytes.len();
            let with = noise[(next() as usize) % noise.len()];
            let end = (at + 1 + (next() as usize) % 8).min(bytes.len());
            bytes.splice(at..end, with.iter().copied());
        }
        if let Ok(roster) = json::parse_roster(&bytes) {
            EvaluationRecord::evaluate(&policy, &roster, "2020-04-01".parse().unwrap(), Lang::En)
                .unwrap();
        }
    }
}

/// What of JSON Schema the committed schemas use: `$ref` to `#/$defs/…`, `type`, `enum`,
/// `const`, `anyOf`,
/// `properties`, `additionalProperties: false`, `required`, `items`, `oneOf`, `minimum`,
/// `maximum`, `minItems`. The problems of `v` against `s`, with their path.
fn check(root: &Value, s: &Value, v: &Value, at: &str, out: &mut Vec<String>) {
    let s = match s.get("$ref").and_then(Value::as_str) {
        Some(r) => &root["$defs"][r.trim_start_matches("#/$defs/")],
        None => s,
    };
    if let Some(ty) = s.get("type") {
        let types: Vec<&str> = match ty {
            Value::String(t) => vec![t.as_str()],
            Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
            _ => vec![],
        };
        let fits = |t: &str| match t {
            "string" => v.is_string(),
            "integer" => v.is_i64() || v.is_u64(),
            "number" => v.is_number(),
            "boolean" => v.is_boolean(),
            "null" => v.is_null(),
            "array" => v.is_array(),
            "object" => v.is_object(),
            _ => true,
        };
        if !types.iter().any(|t| fits(t)) {
            out.push(format!("{at}: {v} is not {types:?}"));
            return;
        }
    }
    if let Some(c) = s.get("const") {
        if c != v {
            out.push(format!("{at}: {v} is not {c}"));
        }
    }
    let fits_it = |o: &Value| {
        let mut e = Vec::new();
        check(root, o, v, at, &mut e);
        e.is_empty()
    };
    if let Some(any) = s.get("anyOf").and_then(Value::as_array) {
        if !any.iter().any(fits_it) {
            out.push(format!("{at}: {v} fits none of anyOf"));
        }
    }
    if let Some(e) = s.get("enum").and_then(Value::as_array) {
        if !e.contains(v) {
            out.push(format!("{at}: {v} is not one of {e:?}"));
        }
    }
    if let Some(one) = s.get("oneOf").and_then(Value::as_array) {
        if one.iter().filter(|o| fits_it(o)).count() != 1 {
            out.push(format!("{at}: {v} fits not exactly one of oneOf"));
        }
    }
    for (key, bound) in [("minimum", true), ("maximum", false)] {
        if let (Some(b), Some(n)) = (s.get(key).and_then(Value::as_f64), v.as_f64()) {
            if (bound && n < b) || (!bound && n > b) {
                out.push(format!("{at}: {n} is beyond {key} {b}"));
            }
        }
    }
    if let Some(obj) = v.as_object() {
        let props = s.get("properties").and_then(Value::as_object);
        for r in s
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            if !obj.contains_key(r.as_str().unwrap_or("")) {
                out.push(format!("{at}: no {r}"));
            }
        }
        for (k, x) in obj {
            match props.and_then(|p| p.get(k)) {
                Some(ps) => check(root, ps, x, &format!("{at}.{k}"), out),
                None if s.get("additionalProperties") == Some(&Value::Bool(false)) => {
                    out.push(format!("{at}: {k} is not a property"))
                }
                None => {}
            }
        }
    }
    if let (Some(items), Some(xs)) = (s.get("items"), v.as_array()) {
        if let Some(min) = s.get("minItems").and_then(Value::as_u64) {
            if (xs.len() as u64) < min {
                out.push(format!("{at}: fewer than {min} items"));
            }
        }
        for (i, x) in xs.iter().enumerate() {
            check(root, items, x, &format!("{at}[{i}]"), out);
        }
    }
}

fn fits(name: &str, v: &Value) {
    let s = json::schema(name).unwrap();
    let mut problems = Vec::new();
    check(&s, &s, v, name, &mut problems);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn what_is_read_and_written_fits_its_schema() {
    let policy = Policy::yang_county_2020();
    let as_of = "2020-04-01".parse().unwrap();
    let roster = sample::roster();
    fits("roster", &json::roster_to_value(&roster));
    let eval = EvaluationRecord::evaluate(&policy, &roster, as_of, Lang::Zh).unwrap();
    let eval = serde_json::to_value(&eval).unwrap();
    fits("evaluation", &eval);
    fits("decision", &eval["decisions"][0]);
    fits("totals", &eval["totals"]);
    fits("receipt", &eval["receipt"]);
    let audit = json::AuditRecord::audit(&policy, &roster, as_of, Lang::En);
    fits("audit", &serde_json::to_value(&audit).unwrap());
    let engine = jiuye_fupin::Engine::new(&policy);
    let ledger = jiuye_fupin::ledger::Ledger::build(&engine, &roster, as_of).unwrap();
    fits("ledger", &serde_json::to_value(&ledger).unwrap());
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    for reform in [
        "transport-cap-600.toml",
        "ui-refund-60.toml",
        "isolation-full-stay.toml",
    ] {
        let text = std::fs::read_to_string(dir.join("policies/reforms").join(reform)).unwrap();
        let as_json: Value =
            serde_json::to_value(toml::from_str::<toml::Value>(&text).unwrap()).unwrap();
        fits("reform", &as_json);
        fits("reform", &Value::from(text.clone()));
        let reformed = json::reform_from_value(&as_json)
            .unwrap()
            .apply(&policy)
            .unwrap();
        let c = jiuye_fupin::compare::compare(&policy, &reformed, &roster, as_of).unwrap();
        fits("comparison", &serde_json::to_value(&c).unwrap());
    }
    for file in ["yang-county-2020.toml", "example-county.toml"] {
        let text = std::fs::read_to_string(dir.join("policies").join(file)).unwrap();
        fits(
            "policy",
            &serde_json::to_value(toml::from_str::<toml::Value>(&text).unwrap()).unwrap(),
        );
    }
    fits("policy", &serde_json::to_value(&policy).unwrap());
    // And what is refused does not fit.
    let mut problems = Vec::new();
    let s = json::schema("roster").unwrap();
    check(
        &s,
        &s,
        &json!({"laborers": [{"id": "L1", "transport_cost": 5, "extra": 1}]}),
        "roster",
        &mut problems,
    );
    assert_eq!(problems.len(), 2, "{problems:?}");
}

/// A TOML file as the same document in JSON.
fn toml_as_json(path: &std::path::Path) -> serde_json::Value {
    let text = std::fs::read_to_string(path).unwrap();
    serde_json::to_value(toml::from_str::<toml::Value>(&text).unwrap()).unwrap()
}

#[test]
fn every_scenario_file_runs_alike_in_json() {
    let runner = jiuye_fupin::scenario::Runner::new();
    let mut files = 0;
    for entry in std::fs::read_dir("tests/scenarios").unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "toml") {
            continue;
        }
        let want = runner.run_path(&path).unwrap();
        let value = toml_as_json(&path);
        fits("scenario", &value);
        let got = jiuye_fupin::json::run_scenario_value(&runner, &value, &path).unwrap();
        assert_eq!(
            serde_json::to_value(&got).unwrap(),
            serde_json::to_value(&want).unwrap(),
            "{}",
            path.display()
        );
        assert!(got.passed(), "{}", path.display());
        files += 1;
    }
    assert!(files >= 5);
    let bad = serde_json::json!({"case": [{"name": "x", "colour": "red"}]});
    let e = jiuye_fupin::json::run_scenario_value(&runner, &bad, "bad.json").unwrap_err();
    assert!(e.to_string().contains("colour"), "{e}");
}

#[test]
fn the_shipped_policies_load_alike_from_json() {
    let rules = jiuye_fupin::RuleSet::yang_county_2020();
    for name in ["yang-county-2020.toml", "example-county.toml"] {
        let path = std::path::Path::new("policies").join(name);
        let want = Policy::load(&path).unwrap();
        let got = jiuye_fupin::json::policy_from_value(&rules, &toml_as_json(&path)).unwrap();
        assert_eq!(got.to_toml(), want.to_toml(), "{name}");
    }
    let mut bad = toml_as_json(std::path::Path::new("policies/yang-county-2020.toml"));
    bad["transport_subsidy"]["cap"][0]["value"] = serde_json::json!(500.5);
    let e = jiuye_fupin::json::policy_from_value(&rules, &bad).unwrap_err();
    assert!(e.to_string().contains("transport_subsidy.cap"), "{e}");
}

#[test]
fn a_roster_with_no_list_is_refused_and_an_empty_list_is_a_list() {
    // As a data folder with none of the six files (POLICY.md reading 13): never an empty
    // success. `null` is no list either.
    for doc in [json!({}), json!({"laborers": null})] {
        let err = json::roster_from_value(&doc).unwrap_err();
        assert!(
            matches!(
                err.first(),
                InputError::Json {
                    problem: jiuye_fupin::io::JsonProblem::NoList,
                    ..
                }
            ),
            "{doc}: {err}"
        );
        assert!(err.render(Lang::Zh).contains("没有名册的任何列表"), "{err}");
        assert!(
            err.render(Lang::En).contains("none of a roster's lists"),
            "{err}"
        );
    }
    // A list with no record is like a file with a header alone: valid, and empty.
    let roster = json::roster_from_value(&json!({"laborers": []})).unwrap();
    assert!(roster.laborers().is_empty());
}

#[test]
fn a_key_given_twice_is_refused_never_the_last_one_kept() {
    for (text, key) in [
        (
            r#"{"laborers": [{"id": "L1"}], "laborers": [{"id": "L2"}]}"#,
            "laborers",
        ),
        (
            r#"{"laborers": [{"id": "L1", "transport_cost": "100", "transport_cost": "400"}]}"#,
            "transport_cost",
        ),
        (r#"{"laborers": [{"id": "L1", "id": "L2"}]}"#, "id"),
    ] {
        let err = json::parse_roster(text.as_bytes()).unwrap_err();
        let en = err.render(Lang::En);
        assert!(en.contains(&format!("gives the key {key:?} twice")), "{en}");
        assert!(
            err.render(Lang::Zh).contains("出现了两次"),
            "{}",
            err.render(Lang::Zh)
        );
    }
}

/// Where the records of the JSON roster `text` are, and the errors of evaluating it,
/// building its ledger and comparing the policy with itself on it.
fn overflowing(text: &str) -> (Origins, [EvalError; 2], CompareError) {
    let (roster, origins) =
        json::parse_roster_traced(text.as_bytes(), &ReadOptions::default()).unwrap();
    let policy = Policy::yang_county_2020();
    let as_of = "2020-04-01".parse().unwrap();
    let engine = jiuye_fupin::Engine::new(&policy);
    let evaluated = engine.evaluate(&roster, as_of).unwrap_err();
    let ledger = jiuye_fupin::ledger::Ledger::build(&engine, &roster, as_of).unwrap_err();
    let compared = jiuye_fupin::compare::compare(&policy, &policy, &roster, as_of).unwrap_err();
    (origins, [evaluated, ledger], compared)
}

#[test]
fn an_amount_too_large_to_compute_names_its_json_record_as_a_bad_field_does() {
    // A JSON roster's records have no file or line: the engine's subject is found in its
    // list, by index and id (`json::parse_roster_traced`), on every path that computes.
    let max = "79228162514264337593543950335";
    let text = json!({
        "laborers": [{"id": "L1"}],
        "startup_centers": [
            {"id": "C0", "level": "town", "year": 2020, "claimed_rent": "1"},
            {"id": "C1", "level": "town", "year": 2020, "claimed_rent": max, "claimed_utilities": "1"},
        ],
    })
    .to_string();
    let (origins, [evaluated, ledger], compared) = overflowing(&text);
    let at = "startup_centers[1] (id \"C1\")";
    for (lang, said, under) in [
        (
            Lang::En,
            ": startup_center_subsidy for C1: amount too large",
            ": under the base policy: startup_center_subsidy for C1:",
        ),
        (
            Lang::Zh,
            "：创业中心房租水电补贴 (startup_center_subsidy) 对象 C1：",
            "：按原政策：创业中心房租水电补贴 (startup_center_subsidy) 对象 C1：",
        ),
    ] {
        for e in [&evaluated, &ledger] {
            let text = e.render_at(Some(&origins), lang);
            assert!(text.starts_with(&format!("{at}{said}")), "{text}");
            // Without origins, the program and the subject alone, as before.
            assert_eq!(e.render_at(None, lang), e.render(lang));
        }
        let text = origins.name(compared.subject(), compared.render(lang), lang);
        assert!(text.starts_with(&format!("{at}{under}")), "{text}");
    }
    let (kind, id) = evaluated.subject().unwrap();
    let at = origins.get(kind, id).unwrap();
    assert_eq!((at.source, at.file, at.line), ("startup_centers", "", 1));
}

#[test]
fn a_total_too_large_names_no_record_and_says_it_is_a_total() {
    // Each refund fits; their sum does not. No record is at fault: the error says the
    // program's total (it said `ui_refund for : ...`), and names no list or index.
    let enterprise = |i: usize| {
        json!({"id": format!("E{i}"), "kind": "other", "ui_insured": true,
            "ui_insured_months": 12, "insured_headcount": 10, "layoffs": 0,
            "prior_year_ui_paid": "100000000000000000000000000",
            "application_date": "2020-03-01"})
    };
    let text = json!({"enterprises": (0..2000).map(enterprise).collect::<Vec<_>>()}).to_string();
    let (origins, errors, compared) = overflowing(&text);
    assert_eq!(compared.subject(), None);
    assert!(compared.to_string().starts_with("totals: amount too large"));
    for e in &errors {
        assert_eq!(e.subject(), None);
        assert!(
            e.render_at(Some(&origins), Lang::En)
                .starts_with("ui_refund total: amount too large"),
            "{e}"
        );
        assert!(
            e.render_at(Some(&origins), Lang::Zh)
                .starts_with("失业保险稳岗返还 (ui_refund) 合计："),
            "{}",
            e.render(Lang::Zh)
        );
    }
}
