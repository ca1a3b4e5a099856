//! The article's cases, as scenario files (`tests/scenarios/*.toml`), run by the library's
//! own runner: the same files a county runs with `cargo run --example scenarios -- PATH`.

use std::path::Path;

use jiuye_fupin::scenario;

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
