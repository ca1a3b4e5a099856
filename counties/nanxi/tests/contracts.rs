//! Nanxi's own rule C1 through every public contract the library promises a plug-in rule,
//! each figure computed by hand in `roster/expected-payouts.csv`.

use std::path::{Path, PathBuf};

use jiuye_fupin::batch::{self, Inputs, Options};
use jiuye_fupin::compare::compare;
use jiuye_fupin::ledger::Ledger;
use jiuye_fupin::reform::Reform;
use jiuye_fupin::scenario::Runner;
use jiuye_fupin::{Engine, Lang, Policy};
use nanxi_county::{POLICY, rules};

fn here(p: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(p)
}

fn policy() -> Policy {
    Policy::load_with(&rules().unwrap(), POLICY).unwrap()
}

fn as_of() -> chrono::NaiveDate {
    "2020-04-01".parse().unwrap()
}

#[test]
fn the_stream_pays_every_hand_computed_row() {
    let inputs = Inputs::dir(&here("roster")).unwrap();
    let mut out = Vec::new();
    let totals = batch::run(&inputs, &policy(), as_of(), &mut out, &Options::default()).unwrap();
    let expected = std::fs::read_to_string(here("roster/expected-payouts.csv")).unwrap();
    assert_eq!(String::from_utf8(out).unwrap(), expected);
    let c1 = totals
        .iter()
        .find(|t| t.program.code() == "return_to_work_grant")
        .unwrap();
    assert_eq!(
        (c1.subjects, c1.eligible, c1.amount.to_string().as_str()),
        (7, 3, "2800.00")
    );
    assert!(
        totals
            .iter()
            .all(|t| t.program.code() != "startup_center_subsidy"),
        "R7 is disabled"
    );
}

#[test]
fn in_memory_and_streamed_agree() {
    let roster = jiuye_fupin::io::read_roster_dir(&here("roster")).unwrap();
    let policy = policy();
    let engine = Engine::new(&policy);
    let eval = engine.evaluate(&roster, as_of()).unwrap();
    let mut out = Vec::new();
    jiuye_fupin::io::write_payouts(&mut out, eval.decisions.iter().cloned().map(Ok)).unwrap();
    let expected = std::fs::read_to_string(here("roster/expected-payouts.csv")).unwrap();
    assert_eq!(String::from_utf8(out).unwrap(), expected);
}

#[test]
fn the_explained_list_cites_nanxis_clause_and_shows_the_steps() {
    let inputs = Inputs::dir(&here("roster")).unwrap();
    let (mut out, mut explained) = (Vec::new(), Vec::new());
    batch::run_explained(
        &inputs,
        &policy(),
        as_of(),
        &mut out,
        &mut explained,
        jiuye_fupin::explain::Format::Csv,
        Lang::Zh,
        &Options::default(),
    )
    .unwrap();
    let text = String::from_utf8(explained).unwrap();
    let row = text
        .lines()
        .find(|l| l.contains("返岗就业一次性奖补") && l.contains("NX-L3"))
        .unwrap();
    assert!(
        row.contains("对在县内企业返岗就业的贫困劳动力给予一次性800元奖补"),
        "{row}"
    );
    // Every amount in the steps with its fen, the product's too (it read `金额 200`).
    assert!(
        row.contains("零就业家庭成员 1 × 零就业家庭加发 200.00 = 200.00; 奖补标准 800.00 + 金额 200.00 = 合计 1000.00"),
        "{row}"
    );
    assert!(row.contains("laborers.csv:4"), "{row}");
    // R3 repealed from 2020-07-01: the decision names the notice that repealed it.
    let repealed = text
        .lines()
        .find(|l| l.starts_with("startup_grant,") && l.contains("NX-L4"))
        .unwrap();
    assert!(
        repealed.contains("in_effect = false (from 2020-07-01; 南人社发〔2020〕21号 停止执行)"),
        "{repealed}"
    );
}

#[test]
fn scenario_files_run_c1_under_nanxis_file() {
    let report = Runner::new()
        .with_base(policy())
        .run_path(here("scenarios"))
        .unwrap();
    assert!(report.passed(), "{}", report.render(Lang::En));
}

#[test]
fn a_reform_of_c1s_grant_is_compared() {
    let reform = Reform::load(here("reforms/grant-1000.toml")).unwrap();
    let base = policy();
    let reformed = reform.apply(&base).unwrap();
    let roster = jiuye_fupin::io::read_roster_dir(&here("roster")).unwrap();
    let c = compare(&base, &reformed, &roster, as_of())
        .unwrap()
        .noting(&reform, &base);
    let changed: Vec<(&str, String, String)> = c
        .changed
        .iter()
        .map(|d| {
            (
                d.subject_id.as_str(),
                d.amount_before().to_string(),
                d.amount_after().to_string(),
            )
        })
        .collect();
    assert_eq!(
        changed,
        [
            ("NX-L3", "1000.00".into(), "1200.00".into()),
            ("NX-L4", "800.00".into(), "1000.00".into()),
            ("NX-L7", "1000.00".into(), "1200.00".into()),
        ]
    );
    assert_eq!(c.payout_difference().to_string(), "600.00");
    assert!(c.not_compared.is_empty());
}

#[test]
fn the_ledger_counts_c1_where_the_laborers_live() {
    let roster = jiuye_fupin::io::read_roster_dir(&here("roster")).unwrap();
    let policy = policy();
    let ledger = Ledger::build(&Engine::new(&policy), &roster, as_of()).unwrap();
    let c1 = ledger
        .totals
        .iter()
        .find(|t| t.program.code() == "return_to_work_grant")
        .unwrap();
    assert_eq!(c1.amount.to_string(), "2800.00");
    let text = ledger.render(Lang::Zh).to_string();
    assert!(text.contains("返岗就业一次性奖补"), "{text}");
    // Nanxi's ledger is not titled with Yang County's name (it read `洋县 (2020-04-01)`).
    assert!(text.starts_with("全县 (2020-04-01): "), "{text}");
    assert!(!text.contains("洋县"), "{text}");
    let en = ledger.render(Lang::En).to_string();
    assert!(
        en.starts_with("County (2020-04-01): ") && !en.contains("Yang"),
        "{en}"
    );
}
