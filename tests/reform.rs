//! County policy files, overlays and reforms, on the shipped files.

mod common;

use std::path::{Path, PathBuf};

use common::as_of;
use jiuye_fupin::compare::compare;
use jiuye_fupin::reform::Reform;
use jiuye_fupin::{Engine, Policy, policy, sample};

fn file(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

fn baseline_2019() -> Policy {
    Policy::yang_county_2020()
        .with_overlay_file(file("policies/yang-county-2019-baseline.toml"))
        .unwrap()
}

#[test]
fn the_articles_50_to_60_percent_change_as_a_reform_of_the_2019_baseline_reproduces_the_preset_exactly()
 {
    let baseline = baseline_2019();
    assert_ne!(baseline, Policy::yang_county_2020());
    let reform = Reform::load(file("policies/reforms/ui-refund-60.toml")).unwrap();
    let reformed = reform.apply(&baseline).unwrap();
    assert_eq!(
        reformed.name(),
        format!("{} + {}", baseline.name(), reform.name)
    );
    // Every parameter, with its dates, values and sources: only the name differs.
    let preset = Policy::yang_county_2020();
    let renamed = reformed
        .with_overlay_str(&format!("name = {:?}", preset.name()))
        .unwrap();
    assert_eq!(renamed, preset);
    assert_eq!(reformed.table("ui_refund"), preset.table("ui_refund"));
}

#[test]
fn the_2019_baseline_pays_50_percent_and_the_reform_moves_only_ui_refunds() {
    let baseline = baseline_2019();
    let r5 = baseline.table("ui_refund").unwrap().param("rate").unwrap();
    assert_eq!(
        r5.at("2020-03-01".parse().unwrap()).unwrap().to_string(),
        "0.5"
    );
    let reformed = Reform::load(file("policies/reforms/ui-refund-60.toml"))
        .unwrap()
        .apply(&baseline)
        .unwrap();
    let roster = sample::roster();
    let cmp = compare(&baseline, &reformed, &roster, as_of()).unwrap();
    assert!(!cmp.changed.is_empty());
    assert!(
        cmp.changed
            .iter()
            .all(|c| c.program == jiuye_fupin::rules::ui_refund::PROGRAM)
    );
    assert!(
        cmp.changed
            .iter()
            .all(|c| c.difference() > rust_decimal::Decimal::ZERO)
    );
    // And the reformed policy decides the sample exactly as the preset does.
    let same = compare(&Policy::yang_county_2020(), &reformed, &roster, as_of()).unwrap();
    assert!(same.is_unchanged());
}

#[test]
fn the_annotated_example_county_file_loads_and_differs_from_the_preset_where_it_says() {
    let p = Policy::load(file("policies/example-county.toml")).unwrap();
    let d = |s: &str| s.parse().unwrap();
    let r1 = p.table("transport_subsidy").unwrap().param("cap").unwrap();
    assert_eq!(r1.at(d("2020-02-29")).unwrap().to_string(), "400.00");
    assert_eq!(r1.at(d("2020-03-01")).unwrap().to_string(), "600.00");
    let window = p
        .table("premium_deferral")
        .unwrap()
        .param("window")
        .unwrap();
    assert!(window.at(d("2020-04-01")).is_some());
    let engine = Engine::new(&p);
    engine.evaluate(&sample::roster(), as_of()).unwrap();
}

#[test]
fn the_shipped_reforms_apply_to_the_preset_and_change_what_they_say() {
    let preset = Policy::yang_county_2020();
    let roster = sample::roster();
    for (name, program, gains) in [
        (
            "transport-cap-600.toml",
            jiuye_fupin::rules::transport::PROGRAM,
            true,
        ),
        (
            "isolation-full-stay.toml",
            jiuye_fupin::rules::isolation::PROGRAM,
            false,
        ),
    ] {
        let reform = Reform::load(file(&format!("policies/reforms/{name}"))).unwrap();
        let reformed = reform.apply(&preset).unwrap();
        let cmp = compare(&preset, &reformed, &roster, as_of()).unwrap();
        assert!(!cmp.changed.is_empty(), "{name}");
        for c in &cmp.changed {
            assert_eq!(c.program, program, "{name}");
            assert_eq!(
                c.difference() > rust_decimal::Decimal::ZERO,
                gains,
                "{name}"
            );
        }
    }
}

#[test]
fn a_partial_file_with_an_unknown_key_or_a_wrong_type_names_the_key_and_the_line() {
    let preset = Policy::yang_county_2020();
    let e = preset
        .with_overlay_str("name = \"x\"\n[transport_subsidy]\ncaps = []\n")
        .unwrap_err()
        .to_string();
    assert!(e.contains("line") && e.contains("caps"), "{e}");
    let e = preset
        .with_overlay_str("[premium_deferral]\nmax_months = [{ effective_from = \"2015-01-01\", value = \"6\" }]\n")
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("line 2") && e.contains("premium_deferral.max_months[0].value"),
        "{e}"
    );
    // The full preset laid over anything is the preset.
    let p = baseline_2019()
        .with_overlay_str(policy::YANG_COUNTY_2020_TOML)
        .unwrap();
    assert_eq!(p, preset);
}

#[test]
fn a_bad_date_in_a_reform_names_the_users_path_not_an_internal_one() {
    let text = "name = \"x\"\n[[change]]\nparameter = \"transport_subsidy.cap\"\neffective_from = \"2020-13-01\"\nvalue = \"600.00\"\n";
    let e = Reform::from_toml_str(text).unwrap_err().to_string();
    assert!(
        e.contains("change[0].effective_from") && !e.contains("$__"),
        "{e}"
    );
}

/// The comparison by the definition: both policies evaluate the whole roster, decisions
/// are paired by (program, subject), a side that does not run a program has it
/// `not_in_force`, the base's order first, then what only the reform runs.
fn pairs_by_definition(
    base: &Policy,
    reformed: &Policy,
    roster: &jiuye_fupin::Roster,
) -> Vec<(String, String, jiuye_fupin::Outcome, jiuye_fupin::Outcome)> {
    let (b, r) = (Engine::new(base), Engine::new(reformed));
    let (before, after) = (
        b.evaluate(roster, as_of()).unwrap(),
        r.evaluate(roster, as_of()).unwrap(),
    );
    let key =
        |d: &jiuye_fupin::Decision<'_>| (d.program.code().to_owned(), d.subject_id.to_owned());
    let not_run = || jiuye_fupin::Outcome::Ineligible {
        reasons: jiuye_fupin::decision::Reasons::not_in_force(),
    };
    let mut pairs = Vec::new();
    for x in &before.decisions {
        let y = after.decisions.iter().find(|y| key(y) == key(x));
        let (p, s) = key(x);
        pairs.push((p, s, x.outcome, y.map_or_else(not_run, |y| y.outcome)));
    }
    for y in &after.decisions {
        if !before.decisions.iter().any(|x| key(x) == key(y)) {
            let (p, s) = key(y);
            pairs.push((p, s, not_run(), y.outcome));
        }
    }
    pairs
}

#[test]
fn a_comparison_pairs_each_subjects_decisions_as_the_definition_does() {
    let yang = Policy::yang_county_2020();
    let off = |program: &str| {
        yang.with_overlay_str(&format!("[{program}]\nenabled = false\n"))
            .unwrap()
    };
    let capped = Reform::new("cap 600")
        .change(
            "transport_subsidy.cap",
            "2020-03-01".parse().unwrap(),
            "600.00",
        )
        .apply(&yang)
        .unwrap();
    let roster = sample::roster();
    let cases = [
        (yang.clone(), capped.clone()),
        (capped, yang.clone()),
        (yang.clone(), off("isolation_allowance")),
        (off("isolation_allowance"), yang.clone()),
        (off("post_subsidy"), off("ui_refund")),
    ];
    for (base, reformed) in cases {
        let cmp = compare(&base, &reformed, &roster, as_of()).unwrap();
        let pairs = pairs_by_definition(&base, &reformed, &roster);
        let changed: Vec<_> = (cmp.changed.iter())
            .map(|c| {
                (
                    c.program.code().to_owned(),
                    c.subject_id.clone(),
                    c.before,
                    c.after,
                )
            })
            .collect();
        let want: Vec<_> = pairs
            .iter()
            .filter(|(_, _, x, y)| x != y)
            .cloned()
            .collect();
        assert_eq!(changed, want, "{} -> {}", base.name(), reformed.name());
        for impact in &cmp.programs {
            let of = |(p, ..): &&(String, String, _, _)| p == impact.program.code();
            assert_eq!(impact.subjects, pairs.iter().filter(of).count() as u64);
            let eligible =
                |o: &jiuye_fupin::Outcome| matches!(o, jiuye_fupin::Outcome::Eligible { .. });
            let before = pairs
                .iter()
                .filter(of)
                .filter(|(_, _, x, _)| eligible(x))
                .count();
            let after = pairs
                .iter()
                .filter(of)
                .filter(|(_, _, _, y)| eligible(y))
                .count();
            assert_eq!(
                (impact.before.eligible, impact.after.eligible),
                (before as u64, after as u64)
            );
        }
    }
}

#[test]
fn a_long_reform_is_validated_once_and_a_bad_change_in_it_is_still_named_by_its_line() {
    // 3,000 dated changes (a month each since the year 1800): the policy is validated
    // once, not once per change (which took minutes for 9,000).
    let mut text = String::from("name = \"long\"\n");
    for k in 0..3000 {
        let (y, m) = (1800 + k / 12, 1 + k % 12);
        text.push_str(&format!(
            "\n[[change]]\nparameter = \"transport_subsidy.cap\"\neffective_from = {y:04}-{m:02}-01\nvalue = \"600.00\"\n"
        ));
    }
    let started = std::time::Instant::now();
    let reformed = Reform::from_toml_str(&text)
        .unwrap()
        .apply(&Policy::yang_county_2020())
        .unwrap();
    assert!(reformed.name().ends_with("long"));
    assert!(started.elapsed() < std::time::Duration::from_secs(60));
    // One bad value among them: the error names that change, whichever it is.
    let bad = text.replacen(
        "effective_from = 1900-01-01\nvalue = \"600.00\"",
        "effective_from = 1900-01-01\nvalue = \"-1\"",
        1,
    );
    // The line of its `[[change]]`, two above its date.
    let line = bad
        .lines()
        .position(|l| l == "effective_from = 1900-01-01")
        .unwrap()
        - 1;
    let e = Reform::from_toml_str(&bad)
        .unwrap()
        .apply(&Policy::yang_county_2020())
        .unwrap_err()
        .to_string();
    assert!(
        e.contains(&format!("line {line}"))
            && e.contains("transport_subsidy.cap from 1900-01-01")
            && e.contains("is negative"),
        "{e}"
    );
}
