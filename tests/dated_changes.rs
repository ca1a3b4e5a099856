//! Dated policy parameters and policy changes, hand-checked (hostile pass).
//!
//! `tests/fixtures/dated/policy.toml` is the Yang preset with parameters that change in the
//! middle of the window; the CSV files beside it hold records dated the day before, on and
//! after each change, and records with no date of their own (the as-of date selects their
//! parameters, POLICY.md reading 1). Every amount below is worked out by hand from POLICY.md,
//! in the comment beside it; none is copied from a run.

mod common;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use jiuye_fupin::compare::compare;
use jiuye_fupin::reform::Reform;
use jiuye_fupin::{Engine, Outcome, Policy, Roster, io};

fn paid(o: &Outcome) -> String {
    match o {
        Outcome::Eligible { amount, .. } => amount.to_string(),
        Outcome::Ineligible { .. } => "0.00".to_owned(),
    }
}

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/dated")
}

fn policy(name: &str) -> Policy {
    Policy::load(dir().join(name)).unwrap()
}

fn roster() -> Roster {
    io::read_roster_dir(&dir()).unwrap()
}

/// (program, subject) → "amount reasons" of every decision under `policy` on `as_of`.
fn decide(policy: &Policy, roster: &Roster, as_of: &str) -> HashMap<(String, String), String> {
    let engine = Engine::new(policy).explain(false);
    let eval = engine.evaluate(roster, as_of.parse().unwrap()).unwrap();
    (eval.decisions.iter())
        .map(|d| {
            let key = (d.program.code().to_owned(), d.subject_id.to_owned());
            (key, format!("{} {}", d.amount(), d.reason_codes()))
        })
        .collect()
}

fn check(got: &HashMap<(String, String), String>, want: &[(&str, &str, &str)]) {
    let mut wrong = Vec::new();
    for &(program, subject, expected) in want {
        let key = (program.to_owned(), subject.to_owned());
        let actual = got.get(&key).map_or("(no row)", String::as_str);
        if actual.trim_end() != expected {
            wrong.push(format!(
                "{program} {subject}: expected {expected:?}, got {actual:?}"
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// Decisions whose own date selects the parameters: the same on every as-of date.
const DATED: &[(&str, &str, &str)] = &[
    // R1: min(cost, cap); cap 500 before 2020-03-15, 600 from it.
    ("transport_subsidy", "T1", "500.00 capped"), // 03-14: min(700, 500)
    ("transport_subsidy", "T2", "600.00 capped"), // 03-15: min(700, 600)
    ("transport_subsidy", "T3", "550.56"),        // 03-16: 550.555 → 550.56 (half away)
    ("transport_subsidy", "T5", "600.00 capped"), // 05-31: old window 01-25..12-31
    ("transport_subsidy", "T6", "600.00 capped"), // 06-01: new window 02-01..06-30
    ("transport_subsidy", "T7", "0.00 outside_window"), // 07-01: outside the new window
    ("transport_subsidy", "T8", "0.00 not_poor"),
    ("transport_subsidy", "T9", "500.00 capped"), // 03-14: min(500.005, 500)
    // R2: rate × min(days, max); 20/day before 04-10, 25 from it; 7 days before 04-20, 10 from it.
    ("isolation_allowance", "I1", "140.00 capped"), // 04-09: 20 × 7
    ("isolation_allowance", "I2", "175.00 capped"), // 04-10: 25 × 7
    ("isolation_allowance", "I3", "175.00 capped"), // 04-19: 25 × 7 (12 days)
    ("isolation_allowance", "I4", "250.00 capped"), // 04-20: 25 × 10 (12 days)
    ("isolation_allowance", "I5", "200.00"),        // 04-21: 25 × 8
    // R3: first entry 2020-03-01; before it not_in_force alone (reading 8).
    ("startup_grant", "S1", "0.00 not_in_force"), // 02-29
    ("startup_grant", "S2", "5000.00"),           // 03-01
    ("startup_grant", "S3", "0.00 not_in_force"), // 02-28, also not poor: not_in_force alone
    // R4: min(requested, cap); 150,000 before 04-15, 200,000 from it.
    ("guaranteed_loan", "S1", "150000.00 capped"), // 04-14: min(180000, 150000)
    ("guaranteed_loan", "S2", "180000.00"),        // 04-15: min(180000, 200000)
    // R5: rate × prior-year paid; 0.50 / 0.60 from 01-25 / 0.65 from 05-01 / 0.50 from 2021.
    ("ui_refund", "E1", "7407.41"), // 04-30: 0.60 × 12345.675 = 7407.405
    ("ui_refund", "E2", "8024.69"), // 05-01: 0.65 × 12345.675 = 8024.68875
    ("ui_refund", "E3", "8.00"),    // 05-31: 0.65 × 12.3 = 7.995 (fast path)
    ("ui_refund", "E4", "8.00"),    // 06-01: 0.65 × 12.30000 = 7.995 (exact path)
    ("ui_refund", "E6", "617.28"),  // 2021-01-01: 0.50 × 1234.567 = 617.2835
    ("ui_refund", "E7", "0.01"),    // 01-24: 0.50 × 0.01 = 0.005
    ("ui_refund", "E8", "600.00"),  // 01-25: 0.60 × 1000
    // R6: months × premiums; at most 6 months before 06-01, 3 from it.
    ("premium_deferral", "E1", "666.04 capped"), // 6 × 111.0064 = 666.0384
    ("premium_deferral", "E2", "666.04 capped"),
    ("premium_deferral", "E3", "555.00"),        // 5 × 111
    ("premium_deferral", "E4", "333.00 capped"), // 06-01: 3 × 111
    (
        "premium_deferral",
        "E5",
        "0.00 no_hardship;no_months_requested",
    ),
    // R7: January 1 of the claimed year selects the cap (250,000 only from 2020-07-01).
    ("startup_center_subsidy", "C1", "200000.00 capped"), // 2020: min(230000.004, 200000)
    ("startup_center_subsidy", "C2", "230000.00"),        // 2021: min(230000.004, 250000)
    (
        "post_subsidy",
        "P3",
        "0.00 employer_not_eligible;holder_not_poor",
    ),
];

#[test]
fn records_dated_before_on_and_after_each_change_use_the_value_in_force_on_their_date() {
    let (policy, roster) = (policy("policy.toml"), roster());
    for as_of in ["2020-04-01", "2020-05-01"] {
        check(&decide(&policy, &roster, as_of), DATED);
    }
}

#[test]
fn records_without_a_date_and_posts_use_the_as_of_date() {
    let (policy, roster) = (policy("policy.toml"), roster());
    check(
        &decide(&policy, &roster, "2020-04-01"),
        &[
            ("transport_subsidy", "T4", "600.00 capped"),
            ("isolation_allowance", "I6", "140.00 capped"), // 20 × 7 of 9 days
            ("startup_grant", "S4", "5000.00"),             // a graduate with a store
            ("guaranteed_loan", "S4", "150000.00 capped"),
            ("ui_refund", "E5", "0.66"), // 0.60 × 1.1
            ("startup_center_subsidy", "C3", "100000.00 capped"), // town cap
            ("post_subsidy", "P1", "1440.14"), // 0.60 × 800.075 × 3 = 1440.135
            ("post_subsidy", "P2", "740.74"), // 0.60 × 1234.567 = 740.7402
        ],
    );
    check(
        &decide(&policy, &roster, "2020-05-01"),
        &[
            ("isolation_allowance", "I6", "225.00"), // 25 × 9 (max 10)
            ("guaranteed_loan", "S4", "200000.00 capped"),
            ("ui_refund", "E5", "0.72"),       // 0.65 × 1.1 = 0.715
            ("post_subsidy", "P1", "1680.16"), // 0.70 × 800.075 × 3 = 1680.1575
            ("post_subsidy", "P2", "864.20"),  // 0.70 × 1234.567 = 864.1969
        ],
    );
    check(
        &decide(&policy, &roster, "2020-02-01"),
        &[
            ("transport_subsidy", "T4", "500.00 capped"),
            ("startup_grant", "S4", "0.00 not_in_force"),
            ("startup_grant", "T1", "0.00 not_in_force"),
            ("ui_refund", "E5", "0.66"),
        ],
    );
}

#[test]
fn a_reforms_impact_is_the_difference_of_two_runs_and_is_what_hand_arithmetic_gives() {
    let (base, roster) = (policy("policy.toml"), roster());
    let reform = Reform::load(dir().join("reform.toml")).unwrap();
    let reformed = reform.apply(&base).unwrap();
    let by_hand = policy("policy-reformed.toml");
    for as_of in ["2020-04-01", "2020-05-01"] {
        let (before, after) = (
            decide(&base, &roster, as_of),
            decide(&reformed, &roster, as_of),
        );
        assert_eq!(after, decide(&by_hand, &roster, as_of), "as of {as_of}");
        let cmp = compare(&base, &reformed, &roster, as_of.parse().unwrap()).unwrap();
        let changed: HashMap<(String, String), (String, String)> = (cmp.changed.iter())
            .map(|c| {
                let key = (c.program.code().to_owned(), c.subject_id.clone());
                (key, (paid(&c.before), paid(&c.after)))
            })
            .collect();
        let amount = |s: &String| s.split(' ').next().unwrap_or("").to_owned();
        for (key, b) in &before {
            let a = &after[key];
            match changed.get(key) {
                Some((cb, ca)) => assert_eq!((cb, ca), (&amount(b), &amount(a)), "{key:?}"),
                None => assert_eq!(a, b, "{key:?} changed but is not reported"),
            }
        }
        for impact in &cmp.programs {
            let sum = |m: &HashMap<(String, String), String>| {
                (m.iter())
                    .filter(|((p, _), _)| p == impact.program.code())
                    .map(|(_, v)| amount(v).parse::<rust_decimal::Decimal>().unwrap())
                    .sum::<rust_decimal::Decimal>()
            };
            assert_eq!(impact.before.amount.as_decimal(), sum(&before));
            assert_eq!(impact.after.amount.as_decimal(), sum(&after));
        }
    }
    // By hand, as of 2020-04-01: the cap 550 from 03-16 (T3 550.555 → 550.00, T4-T6 600 → 550),
    // the grant 4,000 from 02-01 (S1 of 02-29 paid; S2 of 03-01 keeps the 5,000 entry),
    // 0.70 from 05-01 (E2 0.70 × 12345.675 = 8641.9725), 0.65 for posts from 04-01
    // (P1 0.65 × 800.075 × 3 = 1560.14625), 5 days from 04-21 (I5 25 × 5).
    check(
        &decide(&reformed, &roster, "2020-04-01"),
        &[
            ("transport_subsidy", "T2", "600.00 capped"),
            ("transport_subsidy", "T3", "550.00 capped"),
            ("transport_subsidy", "T4", "550.00 capped"),
            ("startup_grant", "S1", "4000.00"),
            ("startup_grant", "S2", "5000.00"),
            (
                "startup_grant",
                "S3",
                "0.00 not_poor_or_graduate;no_store_in_county",
            ),
            ("ui_refund", "E2", "8641.97"),
            ("ui_refund", "E3", "8.61"),
            ("post_subsidy", "P1", "1560.15"),
            ("post_subsidy", "P2", "802.47"), // 0.65 × 1234.567 = 802.46855
            ("isolation_allowance", "I4", "250.00 capped"),
            ("isolation_allowance", "I5", "125.00 capped"),
        ],
    );
}

/// POLICY.md reading 8: a rule is not in force "from a date on which the county's policy file
/// repeals it". A repeal alone (`in_effect = [{ D, false }]`), in a policy file or a reform,
/// leaves the rule in force before D.
#[test]
fn a_repeal_takes_effect_from_its_date_not_before_it() {
    let roster = roster();
    let base = policy("policy.toml");
    let repealed = (base.clone())
        .with_overlay_str(
            "[startup_grant]\nin_effect = [{ effective_from = \"2020-03-20\", value = false }]\n",
        )
        .unwrap();
    let reform = Reform::new("R3 repealed from 2020-03-20").change(
        "startup_grant.in_effect",
        "2020-03-20".parse().unwrap(),
        false,
    );
    let reformed = reform.apply(&base).unwrap();
    for policy in [&repealed, &reformed] {
        check(
            &decide(policy, &roster, "2020-03-19"),
            &[
                ("startup_grant", "S1", "0.00 not_in_force"), // 02-29: before the amount's first entry
                ("startup_grant", "S2", "5000.00"),           // 03-01: before the repeal
                ("startup_grant", "S4", "5000.00"),           // no date: as of 03-19
            ],
        );
        check(
            &decide(policy, &roster, "2020-03-20"),
            &[
                ("startup_grant", "S2", "5000.00"),
                ("startup_grant", "S4", "0.00 not_in_force"), // as of 03-20: repealed
            ],
        );
    }
    // An enactment (`true` first) is in force from its date only, as before.
    let enacted = (base.clone())
        .with_overlay_str(
            "[post_subsidy]\nin_effect = [{ effective_from = \"2020-05-01\", value = true }]\n",
        )
        .unwrap();
    check(
        &decide(&enacted, &roster, "2020-04-30"),
        &[("post_subsidy", "P1", "0.00 not_in_force")],
    );
    check(
        &decide(&enacted, &roster, "2020-05-01"),
        &[("post_subsidy", "P1", "1680.16")],
    );
}

/// A reform whose changes touch only an audit's parameters, or a program the county does not
/// run, changes no decision: the comparison's "0 changed" must not read as "no effect".
#[test]
fn a_change_the_comparison_cannot_show_is_named() {
    use jiuye_fupin::reform::NotCompared;
    let base = policy("policy.toml")
        .with_overlay_str("[startup_grant]\nenabled = false\n")
        .unwrap();
    let reform = Reform::new("unseen")
        .change(
            "post_compliance.payment_deadline_day",
            "2020-03-01".parse().unwrap(),
            10,
        )
        .change(
            "assistant_quota.village",
            "2020-03-01".parse().unwrap(),
            toml::Value::try_from(jiuye_fupin::rules::Range { min: 1, max: 2 }).unwrap(),
        )
        .change(
            "startup_grant.amount",
            "2020-03-01".parse().unwrap(),
            "6000.00",
        );
    let reformed = reform.apply(&base).unwrap();
    let cmp = compare(&base, &reformed, &roster(), "2020-04-01".parse().unwrap()).unwrap();
    assert!(cmp.changed.is_empty());
    let why: Vec<NotCompared> = (reform.not_compared(&base).into_iter())
        .map(|(_, w)| w)
        .collect();
    assert_eq!(
        why,
        [NotCompared::Audit, NotCompared::Audit, NotCompared::NotRun]
    );
    let seen = Reform::load(dir().join("reform.toml")).unwrap();
    assert!(seen.not_compared(&policy("policy.toml")).is_empty());
}

/// A reform's change takes effect on its date: a change of `in_effect` on a table that had
/// none leaves every decision dated before it as it was, whether it enacts or repeals.
#[test]
fn a_reform_of_in_effect_changes_nothing_before_its_date() {
    let (base, roster) = (policy("policy.toml"), roster());
    for value in [true, false] {
        let reformed = Reform::new("R3 in_effect from 2020-04-15")
            .change(
                "startup_grant.in_effect",
                "2020-04-15".parse().unwrap(),
                value,
            )
            .apply(&base)
            .unwrap();
        // Dated 03-01 and (no date) as of 04-01, both before the change: 5,000 each.
        check(
            &decide(&reformed, &roster, "2020-04-01"),
            &[
                ("startup_grant", "S2", "5000.00"),
                ("startup_grant", "S4", "5000.00"),
            ],
        );
        let after = if value {
            "5000.00"
        } else {
            "0.00 not_in_force"
        };
        check(
            &decide(&reformed, &roster, "2020-04-15"),
            &[("startup_grant", "S4", after)],
        );
    }
}

/// A decision `not_in_force` because the county repealed the rule shows the repealing
/// entry of `in_effect` (its date and `source`, the notice), as an eligible decision shows
/// its parameters: the explained list and `/v1/evaluate` had an empty `parameters` for it,
/// and the repeal's `source` appeared nowhere (another county's hostile pass).
#[test]
fn a_repeal_is_shown_with_the_decision_it_makes_not_in_force() {
    let policy = grant_repealed_2020_07_01();
    let engine = Engine::new(&policy);
    let store = store_opened;
    let program = jiuye_fupin::rules::startup_grant::PROGRAM;
    let (after, before) = (store("L1", "2020-07-01"), store("L2", "2020-06-30"));
    let as_of = "2020-08-01".parse().unwrap();
    let d = engine.decide(program, &after, as_of).unwrap();
    assert_eq!(d.reason_codes().to_string(), "not_in_force");
    let notes: Vec<String> = d.parameters.iter().map(ToString::to_string).collect();
    assert_eq!(notes.len(), 1, "{notes:?}");
    assert!(notes[0].contains("in_effect = false"), "{notes:?}");
    assert!(notes[0].contains("2020-07-01"), "{notes:?}");
    assert!(
        notes[0].contains("县人社发〔2020〕21号 停止执行"),
        "{notes:?}"
    );
    let d = engine.decide(program, &before, as_of).unwrap();
    assert_eq!(d.amount().to_string(), "5000.00");
    // In force: the entry of `in_effect` that enacts it comes first, then the parameters.
    let first = d.parameters.first().map(ToString::to_string);
    assert!(
        first
            .as_deref()
            .is_some_and(|n| n.contains("in_effect = true")),
        "{:?}",
        d.parameters
    );
    // Before a parameter's first entry (no repeal): nothing to show, as before.
    let early = store("L3", "2014-12-31");
    let d = engine.decide(program, &early, as_of).unwrap();
    assert_eq!(d.reason_codes().to_string(), "not_in_force");
    assert!(d.parameters.is_empty());
}

/// The readable decision (`Decision::render`) of a repealed rule names the repeal, as the
/// explained list does: it showed parameters for eligible decisions only, so a repealed
/// decision read `不符合: 政策未实施` and its clause, with no word of the notice that
/// repealed it or from when.
#[test]
fn a_repealed_decision_rendered_names_its_repeal() {
    let policy = grant_repealed_2020_07_01();
    let engine = Engine::new(&policy);
    let l = store_opened("L1", "2020-07-02");
    let program = jiuye_fupin::rules::startup_grant::PROGRAM;
    let d = engine
        .decide(program, &l, "2020-08-01".parse().unwrap())
        .unwrap();
    assert_eq!(d.reason_codes().to_string(), "not_in_force");
    let zh = d.render(jiuye_fupin::Lang::Zh).to_string();
    assert!(
        zh.contains("参数: in_effect = false (from 2020-07-01; 县人社发〔2020〕21号 停止执行)"),
        "{zh}"
    );
    let en = d.render(jiuye_fupin::Lang::En).to_string();
    assert!(en.contains("parameters: in_effect = false"), "{en}");
    // Before the first entry of its parameters there is nothing to show, as before; an
    // ineligible decision in force shows its reasons, as before.
    let early = jiuye_fupin::model::Laborer {
        store_opened_date: Some("2014-12-31".parse().unwrap()),
        ..l.clone()
    };
    let d = engine
        .decide(program, &early, "2020-08-01".parse().unwrap())
        .unwrap();
    assert_eq!(d.reason_codes().to_string(), "not_in_force");
    assert!(!d.render(jiuye_fupin::Lang::Zh).to_string().contains("参数"));
    let no_store = jiuye_fupin::model::Laborer::new("L2");
    let d = engine
        .decide(program, &no_store, "2020-04-01".parse().unwrap())
        .unwrap();
    assert!(!d.render(jiuye_fupin::Lang::Zh).to_string().contains("参数"));
}

/// A rule enacted by `in_effect` whose parameters start later is not in force before them
/// (POLICY.md reading 8), and its decision there showed `in_effect = true (from …)` as its
/// one parameter, in the explained list as in `Decision::render`: "in effect" beside
/// `not_in_force`. Only a repealing entry is shown on a decision not in force.
#[test]
fn a_rule_enacted_before_its_parameters_start_shows_no_in_effect_true_where_not_in_force() {
    let policy = Policy::yang_county_2020()
        .with_overlay_str(
            "[startup_grant]\nin_effect = [{ effective_from = \"2015-01-01\", value = true, source = \"enacted\" }]\namount = [{ effective_from = \"2020-02-01\", value = \"5000.00\" }]\n",
        )
        .unwrap();
    let engine = Engine::new(&policy);
    let store = |date: &str| store_opened("L1", date);
    let program = jiuye_fupin::rules::startup_grant::PROGRAM;
    let as_of = "2020-04-01".parse().unwrap();
    let early = store("2020-01-28");
    let d = engine.decide(program, &early, as_of).unwrap();
    assert_eq!(d.reason_codes().to_string(), "not_in_force");
    assert!(d.parameters.is_empty(), "{:?}", d.parameters);
    let e = jiuye_fupin::explain::Explained::new(&d, jiuye_fupin::Lang::Zh);
    assert_eq!(e.parameters, "");
    // In force: the enacting entry first, as before.
    let later = store("2020-02-01");
    let d = engine.decide(program, &later, as_of).unwrap();
    assert_eq!(d.amount().to_string(), "5000.00");
    let first = d.parameters.first().map(ToString::to_string);
    assert_eq!(
        first.as_deref(),
        Some("in_effect = true (from 2015-01-01; enacted)")
    );
}

/// The owned record of a decision (`/v1/evaluate`, `/v1/decide`, Python's JSON) carries its
/// parameters as the explained list does: a repealed decision names the repeal there (its
/// date and notice), where an API caller saw `not_in_force` alone; it reads back unchanged
/// from JSON and TOML.
#[test]
fn a_decision_record_carries_its_parameters_and_the_repeal() {
    use jiuye_fupin::record::DecisionRecord;
    let policy = grant_repealed_2020_07_01();
    let engine = Engine::new(&policy);
    let store = store_opened("L1", "2020-07-01");
    let program = jiuye_fupin::rules::startup_grant::PROGRAM;
    let d = engine
        .decide(program, &store, "2020-08-01".parse().unwrap())
        .unwrap();
    let r = DecisionRecord::new(&d, jiuye_fupin::Lang::Zh);
    assert_eq!(r.reasons, ["not_in_force"]);
    assert_eq!(r.parameters.len(), 1, "{:?}", r.parameters);
    let p = &r.parameters[0];
    assert_eq!((p.name.as_str(), p.value.as_str()), ("in_effect", "false"));
    assert_eq!(p.effective_from.to_string(), "2020-07-01");
    assert_eq!(p.source.as_deref(), Some("县人社发〔2020〕21号 停止执行"));
    let json = serde_json::to_string(&r).unwrap();
    assert_eq!(serde_json::from_str::<DecisionRecord>(&json).unwrap(), r);
    // An eligible decision of the preset: its amount's parameter with its date.
    let roster = jiuye_fupin::sample::roster();
    let yang = Policy::yang_county_2020();
    let preset = Engine::new(&yang);
    let eval = preset
        .evaluate(&roster, "2020-04-01".parse().unwrap())
        .unwrap();
    let records: Vec<DecisionRecord> = eval.decisions.iter().map(DecisionRecord::from).collect();
    let grant = records
        .iter()
        .find(|r| r.program == "startup_grant" && r.eligible)
        .unwrap();
    assert!(
        grant
            .parameters
            .iter()
            .any(|p| p.name == "amount" && p.value == "5000.00"),
        "{:?}",
        grant.parameters
    );
    let text = toml::to_string(&DecisionRecord::table(&records)).unwrap();
    assert_eq!(DecisionRecord::from_table_str(&text).unwrap(), records);
}

/// The preset with R3 repealed from 2020-07-01 by a notice (`in_effect`), enacted from
/// 2015-01-01.
fn grant_repealed_2020_07_01() -> Policy {
    Policy::yang_county_2020()
        .with_overlay_str(
            "[startup_grant]\nin_effect = [{ effective_from = \"2015-01-01\", value = true }, { effective_from = \"2020-07-01\", value = false, source = \"县人社发〔2020〕21号 停止执行\" }]\n",
        )
        .unwrap()
}

/// A lifted laborer who opened a store in the county on `date`.
fn store_opened(id: &str, date: &str) -> jiuye_fupin::model::Laborer {
    jiuye_fupin::model::Laborer {
        poverty_status: jiuye_fupin::model::PovertyStatus::Lifted,
        opened_store_in_county: true,
        store_opened_date: Some(date.parse().unwrap()),
        ..jiuye_fupin::model::Laborer::new(id)
    }
}
