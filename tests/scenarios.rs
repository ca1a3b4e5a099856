//! The article's cases, as scenario files (`tests/scenarios/*.toml`), run by the library's
//! own runner: the same files a county runs with `cargo run --example scenarios -- PATH`.

use std::path::Path;

use jiuye_fupin::{Lang, scenario};

#[test]
fn every_expectation_of_the_articles_scenario_files_holds() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/scenarios");
    let report = scenario::run_path(&dir).unwrap();
    assert!(report.passed(), "{report}");
    assert_eq!(
        (report.files, report.cases, report.expectations),
        (7, 20, 33),
        "{report}"
    );
}

#[test]
fn a_scenario_that_expects_the_wrong_amount_fails_with_expected_and_actual() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/scenarios/transport_subsidy.toml");
    let text = std::fs::read_to_string(&dir).unwrap().replacen(
        "amount = \"500.00\"",
        "amount = \"523.40\"",
        1,
    );
    let report = scenario::Runner::new()
        .run_str(&text, "transport_subsidy.toml")
        .unwrap();
    assert_eq!(report.failures.len(), 1, "{report}");
    let f = &report.failures[0];
    assert_eq!(
        (f.field, f.expected.as_str(), f.actual.as_str()),
        ("amount", "523.40", "500.00")
    );
    assert!(f.to_string().starts_with("transport_subsidy.toml line 27: case \"a cost above the cap is paid the cap, and flagged capped\": transport_subsidy L1: amount expected 523.40, actual 500.00"), "{f}");
}

#[test]
fn a_scenario_file_can_name_its_countys_own_policy_file() {
    let text = r#"
policy_file = "example-county.toml"
[[case]]
name = "the example county pays up to 600 for departures from March"
[[case.laborer]]
id = "L1"
poverty_status = "lifted"
able_to_work = true
work_destination = "out_of_county"
departure_date = "2020-03-01"
transport_cost = "700"
[[case.expect]]
program = "transport_subsidy"
subject = "L1"
amount = "600.00"
reasons = ["capped"]
"#;
    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join("policies/my-cases.toml");
    let report = scenario::Runner::new().run_str(text, &file).unwrap();
    assert!(report.passed(), "{report}");
    let missing = text.replace("example-county.toml", "nowhere.toml");
    let err = scenario::Runner::new()
        .run_str(&missing, &file)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("policy_file") && err.contains("nowhere.toml"),
        "{err}"
    );
}

/// A fresh, empty folder under the system's temporary folder.
fn scratch(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("scenarios-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The tester's report: each of these said "all passed" and exited 0 while checking nothing
/// (POLICY.md reading 13: an empty result is never a success).
#[test]
fn a_run_that_would_check_nothing_is_an_error_never_all_passed() {
    // An empty folder.
    let dir = scratch("empty");
    let e = scenario::run_path(&dir).unwrap_err();
    assert!(
        matches!(
            e,
            scenario::ScenarioError::NothingToCheck {
                problem: scenario::NothingToCheck::NoFile,
                ..
            }
        ),
        "{e}"
    );
    assert!(
        e.to_string().starts_with(&dir.display().to_string())
            && e.to_string().contains("no scenario file"),
        "{e}"
    );
    // An empty file.
    std::fs::write(dir.join("s10.toml"), "").unwrap();
    let e = scenario::run_path(&dir).unwrap_err().to_string();
    assert!(e.contains("s10.toml") && e.contains("no [[case]]"), "{e}");
    std::fs::remove_file(dir.join("s10.toml")).unwrap();
    // An expectation with nothing to check.
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/scenarios/transport_subsidy.toml"),
    )
    .unwrap()
        + "\n[[case]]\nname = \"nothing\"\n[[case.laborer]]\nid = \"L1\"\n\n[[case.expect]]\nprogram = \"transport_subsidy\"\nsubject = \"L1\"\n";
    std::fs::write(dir.join("s11.toml"), &text).unwrap();
    let line = text.lines().count() - 2;
    let e = scenario::run_path(&dir).unwrap_err().to_string();
    assert!(
        e.starts_with(&format!(
            "{} line {line}: case \"nothing\"",
            dir.join("s11.toml").display()
        )) && e.contains("none of eligible, amount, reasons"),
        "{e}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_folders_scenario_files_are_found_whatever_the_case_of_their_extension() {
    let dir = scratch("upper");
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/scenarios/ui_refund.toml");
    std::fs::copy(&src, dir.join("UI.TOML")).unwrap();
    let report = scenario::run_path(&dir).unwrap();
    let alone = scenario::run_path(&src).unwrap();
    assert!(report.passed(), "{report}");
    assert_eq!(
        (report.files, report.cases, report.expectations),
        (1, alone.cases, alone.expectations)
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn the_summary_counts_failed_expectations_and_says_how_many_mismatches() {
    // "wrong amount" has two mismatches (amount and reasons), "wrong eligibility" one: two
    // expectations failed, three FAIL lines.
    let text = r#"
[[case]]
name = "wrong amount"
[[case.laborer]]
id = "L1"
poverty_status = "lifted"
able_to_work = true
work_destination = "out_of_county"
departure_date = "2020-03-01"
transport_cost = "523.40"
[[case.expect]]
program = "transport_subsidy"
subject = "L1"
amount = "523.40"
reasons = []

[[case]]
name = "wrong eligibility"
[[case.laborer]]
id = "L2"
poverty_status = "none"
able_to_work = true
work_destination = "out_of_county"
departure_date = "2020-03-01"
transport_cost = "100.00"
[[case.expect]]
program = "transport_subsidy"
subject = "L2"
eligible = true
"#;
    let report = scenario::Runner::new()
        .run_str(text, "miscount.toml")
        .unwrap();
    assert!(!report.passed());
    assert_eq!(
        (report.expectations, report.failed, report.failures.len()),
        (2, 2, 3)
    );
    let out = report.to_string();
    assert_eq!(out.lines().filter(|l| l.starts_with("FAIL ")).count(), 3);
    assert_eq!(
        out.lines().last(),
        Some("1 files, 2 cases, 2 expectations: 2 expectations failed (3 mismatches)"),
        "{out}"
    );
    // In Chinese: the same lines, each mismatch still tagged FAIL.
    let zh = report.render(jiuye_fupin::Lang::Zh);
    assert_eq!(zh.lines().filter(|l| l.starts_with("FAIL ")).count(), 3);
    assert!(zh.contains("miscount.toml 第 "), "{zh}");
    assert_eq!(
        zh.lines().last(),
        Some("1 个文件，2 个案例，2 项预期：2 项预期不符 (3 处不符)"),
        "{zh}"
    );
    let mut twice = report.clone();
    twice.merge(report);
    assert_eq!((twice.expectations, twice.failed), (4, 4));
}

#[test]
fn an_unknown_reason_code_is_refused_as_an_unknown_program_is() {
    let text = r#"
[[case]]
name = "works in the county"
[[case.laborer]]
id = "L1"
poverty_status = "lifted"
able_to_work = true
work_destination = "in_county"
transport_cost = "100.00"
[[case.expect]]
program = "transport_subsidy"
subject = "L1"
eligible = false
reasons = ["not_out_of_county","bogus_code"]
"#;
    let e = scenario::Runner::new()
        .run_str(text, "s12.toml")
        .unwrap_err()
        .to_string();
    assert!(
        e.starts_with("s12.toml line 14, at case[0].expect[0].reasons[1]: unknown reason code \"bogus_code\" for program transport_subsidy, expected one of not_poor, unable_to_work, not_out_of_county, no_transport_cost, outside_window, not_in_force, capped"),
        "{e}"
    );
    // Without the unknown code the expectation holds.
    let good = text.replace(",\"bogus_code\"", "");
    let report = scenario::Runner::new().run_str(&good, "s12.toml").unwrap();
    assert!(report.passed(), "{report}");
}

#[test]
fn a_decision_not_made_is_said_in_the_language_asked_for() {
    // A center whose amount is too large to compute, and a subject no record has: `actual`
    // said both in English under `--lang zh`.
    let text = r#"
[[case]]
name = "huge center"
[[case.startup_center]]
id = "C1"
level = "town"
year = 2020
claimed_rent = "79228162514264337593543950335"
claimed_utilities = "1"
[[case.expect]]
program = "startup_center_subsidy"
subject = "C1"
eligible = true

[[case]]
name = "nobody"
[[case.laborer]]
id = "L1"
[[case.expect]]
program = "transport_subsidy"
subject = "L9"
eligible = true
"#;
    let report = scenario::Runner::new().run_str(text, "d.toml").unwrap();
    let [error, missing] = &report.failures[..] else {
        panic!("{report}")
    };
    let (error, missing) = (error.render(Lang::Zh), missing.render(Lang::Zh));
    assert!(
        error.ends_with("decision 预期 有判定，实际 出错：创业中心房租水电补贴 (startup_center_subsidy) 对象 C1：金额过大或小数位过多，超出精确运算的范围：房租 (claimed_rent) 79228162514264337593543950335 + 水电费 (claimed_utilities) 1.00"),
        "{error}"
    );
    assert!(
        missing.ends_with("预期 有判定，实际 无此判定 (该项目没有此编号的对象)"),
        "{missing}"
    );
    let english = report.failures[0].render(Lang::En);
    assert!(english.ends_with("decision expected a decision, actual an error: startup_center_subsidy for C1: amount too large, or with too many decimals, for exact arithmetic: rent (claimed_rent) 79228162514264337593543950335 + utilities (claimed_utilities) 1.00"), "{english}");
}
