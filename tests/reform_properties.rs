//! Properties of reforms, comparisons and serialization over generated rosters and
//! policies (proptest). A generated policy is the Yang preset with a generated reform.

use std::collections::HashMap;

use chrono::NaiveDate;
use jiuye_fupin::compare::compare;
use jiuye_fupin::model::RosterParts;
use jiuye_fupin::money::Yuan;
use jiuye_fupin::record::DecisionRecord;
use jiuye_fupin::reform::Reform;
use jiuye_fupin::testing::{
    change_date, identity_reform_changes_nothing, money, policy, rate, roster as rosters,
};
use jiuye_fupin::{Engine, Outcome, Policy, Program, Roster};
use proptest::prelude::*;
use rust_decimal::Decimal;

fn as_of() -> NaiveDate {
    NaiveDate::from_ymd_opt(2020, 4, 1).unwrap()
}

fn outcomes(policy: &Policy, roster: &Roster) -> HashMap<(Program, String), Outcome> {
    let engine = Engine::new(policy).explain(false);
    let eval = engine.evaluate(roster, as_of()).unwrap();
    (eval.decisions.iter())
        .map(|d| ((d.program, d.subject_id.to_owned()), d.outcome))
        .collect()
}

/// The rate of `table` in force on `date`.
fn rate_of(p: &Policy, table: &str, date: chrono::NaiveDate) -> jiuye_fupin::money::Rate {
    match p
        .table(table)
        .unwrap()
        .param("rate")
        .unwrap()
        .at(date)
        .unwrap()
    {
        jiuye_fupin::rules::Value::Rate(r) => *r,
        other => panic!("not a rate: {other:?}"),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn an_identity_reform_changes_nothing(p in policy(), roster in rosters()) {
        let q = Reform::new("empty").apply(&p).unwrap();
        let renamed = q.with_overlay_str(&format!("name = {:?}", p.name())).unwrap();
        prop_assert_eq!(&renamed, &p);
        let cmp = compare(&p, &q, &roster, as_of()).unwrap();
        prop_assert!(cmp.is_unchanged());
        prop_assert!(cmp.programs.iter().all(|i| i.before == i.after));
        // Restating every entry of every history: the testing kit's check.
        identity_reform_changes_nothing(&p, &roster, as_of())?;
    }

    #[test]
    fn evaluation_is_independent_of_record_order(
        p in policy(),
        parts in rosters().prop_flat_map(|r| {
            let p = r.into_parts();
            (Just(p.laborers).prop_shuffle(), Just(p.enterprises).prop_shuffle(),
             Just(p.posts).prop_shuffle(), Just(p.loans).prop_shuffle(), Just(p.centers).prop_shuffle())
        }),
    ) {
        let build = |(laborers, enterprises, posts, loans, centers)| {
            Roster::from_parts(RosterParts { laborers, enterprises, posts, loans, centers, ..RosterParts::default() }).unwrap()
        };
        let shuffled = build(parts.clone());
        let mut sorted = parts;
        sorted.0.sort_by(|a, b| a.id.cmp(&b.id));
        sorted.1.sort_by(|a, b| a.id.cmp(&b.id));
        sorted.2.sort_by(|a, b| a.id.cmp(&b.id));
        sorted.3.sort_by(|a, b| a.laborer_id.cmp(&b.laborer_id));
        sorted.4.sort_by(|a, b| a.id.cmp(&b.id));
        let sorted = build(sorted);
        prop_assert_eq!(outcomes(&p, &shuffled), outcomes(&p, &sorted));
    }

    #[test]
    fn raising_a_cap_never_lowers_any_amount(
        p in policy(), roster in rosters(), from in change_date(), extra in money(500), months in 0i64..6,
    ) {
        use jiuye_fupin::rules::Value;
        let history = |t: &str, k: &str| p.table(t).unwrap().param(k).unwrap().clone();
        let (caps, maxes) = (history("transport_subsidy", "cap"), history("premium_deferral", "max_months"));
        let yuan = |v: &Value| match v { Value::Money(y) => *y, _ => Yuan::ZERO };
        let count = |v: &Value| match v { Value::Count(n) => *n, _ => 0 };
        let cap = caps.at(from).map_or(Yuan::ZERO, yuan);
        let max_months = maxes.at(from).map_or(0, count);
        // Raise the value in force from `from`, and every later entry, by the same amount.
        let mut reform = Reform::new("raise caps")
            .change("transport_subsidy.cap", from, cap.checked_add(extra).unwrap().to_string())
            .change("premium_deferral.max_months", from, i64::from(max_months) + months);
        for e in caps.entries().iter().filter(|e| e.effective_from > from) {
            reform = reform.change("transport_subsidy.cap", e.effective_from, yuan(&e.value).checked_add(extra).unwrap().to_string());
        }
        for e in maxes.entries().iter().filter(|e| e.effective_from > from) {
            reform = reform.change("premium_deferral.max_months", e.effective_from, i64::from(count(&e.value)) + months);
        }
        let q = reform.apply(&p).unwrap();
        let cmp = compare(&p, &q, &roster, as_of()).unwrap();
        for c in &cmp.changed {
            prop_assert!(c.difference() >= Decimal::ZERO, "{:?}", c);
            prop_assert!(c.program == jiuye_fupin::rules::transport::PROGRAM || c.program == jiuye_fupin::rules::premium_deferral::PROGRAM);
        }
    }

    #[test]
    fn a_change_never_alters_a_decision_dated_before_it(
        p in policy(), roster in rosters(), c in jiuye_fupin::testing::change(),
        repeal in (0usize..8, any::<bool>(), change_date()), which in any::<bool>(),
    ) {
        // One generated change of a parameter, or of a rule's `in_effect` (a table that
        // has none: enacted or repealed from a date).
        let (parameter, from, q) = if which {
            let q = Reform::new("one").with(c.clone()).apply(&p);
            (c.parameter.clone(), c.effective_from, q)
        } else {
            let (i, value, from) = repeal;
            let program = p.rules().programs().nth(i % 8).unwrap();
            let parameter = format!("{}.in_effect", program.code());
            let q = Reform::new("one").change(&parameter, from, value).apply(&p);
            (parameter, from, q)
        };
        // A generated value a policy refuses (a rate above 1, ...) is no reform.
        let Ok(q) = q else { return Ok(()) };
        let (before, after) = (Engine::new(&p).explain(false), Engine::new(&q).explain(false));
        let (b, a) = (before.evaluate(&roster, as_of()).unwrap(), after.evaluate(&roster, as_of()).unwrap());
        for (x, y) in b.decisions.iter().zip(&a.decisions) {
            prop_assert_eq!((x.program, x.subject_id), (y.program, y.subject_id));
            if x.date < from {
                prop_assert_eq!(
                    x.outcome, y.outcome,
                    "{} of {} dated {} changed by {} from {}", x.program, x.subject_id, x.date, parameter, from
                );
            }
        }
    }

    #[test]
    fn a_rate_change_scales_only_the_programs_that_use_it(
        p in policy(), roster in rosters(), from in change_date(), new_rate in rate(), ui in any::<bool>(),
    ) {
        let (parameter, program) = if ui {
            ("ui_refund.rate", jiuye_fupin::rules::ui_refund::PROGRAM)
        } else {
            ("post_subsidy.rate", jiuye_fupin::rules::post_subsidy::PROGRAM)
        };
        let q = Reform::new("rate").change(parameter, from, new_rate.to_string()).apply(&p).unwrap();
        let cmp = compare(&p, &q, &roster, as_of()).unwrap();
        let _engine = Engine::new(&q).explain(false);
        for c in &cmp.changed {
            prop_assert_eq!(c.program, program);
            prop_assert_eq!(
                matches!(c.before, Outcome::Eligible { .. }),
                matches!(c.after, Outcome::Eligible { .. })
            );
        }
        // Every eligible amount of the program is the new rate in force times its base.
        let r8 = Engine::new(&q);
        for e in roster.enterprises().iter().filter(|_| ui) {
            let d = r8.decide(jiuye_fupin::rules::ui_refund::PROGRAM, e, as_of()).unwrap();
            if d.is_eligible() {
                let rate = rate_of(&q, "ui_refund", d.date);
                prop_assert_eq!(d.amount(), Yuan::round_to_fen(rate.of(e.prior_year_ui_paid).unwrap()));
            }
        }
        for (i, post) in roster.posts().iter().enumerate().filter(|_| !ui) {
            let d = r8.decide(jiuye_fupin::rules::post_subsidy::PROGRAM, (post, roster.holder_status(i).unwrap()), as_of()).unwrap();
            if d.is_eligible() {
                let rate = rate_of(&q, "post_subsidy", as_of());
                let exact = rate.of(post.monthly_wage).unwrap() * Decimal::from(post.months_paid);
                prop_assert_eq!(d.amount(), Yuan::round_to_fen(exact));
            }
        }
    }

    #[test]
    fn policy_files_and_decisions_survive_a_serde_round_trip_unchanged(p in policy(), roster in rosters()) {
        let text = toml::to_string(&p).unwrap();
        prop_assert_eq!(&Policy::from_toml_str(&text).unwrap(), &p);
        let engine = Engine::new(&p);
        let eval = engine.evaluate(&roster, as_of()).unwrap();
        let records: Vec<DecisionRecord> = eval.decisions.iter().map(DecisionRecord::from).collect();
        let text = toml::to_string(&DecisionRecord::table(&records)).unwrap();
        prop_assert_eq!(&DecisionRecord::from_table_str(&text).unwrap(), &records);
        let json = serde_json::to_string(&records).unwrap();
        prop_assert_eq!(&serde_json::from_str::<Vec<DecisionRecord>>(&json).unwrap(), &records);
    }

    #[test]
    fn every_amount_has_at_most_two_decimals(p in policy(), q in policy(), roster in rosters()) {
        let engine = Engine::new(&p);
        let eval = engine.evaluate(&roster, as_of()).unwrap();
        for d in &eval.decisions {
            prop_assert!(d.amount().as_decimal().scale() <= 2, "{:?}", d);
        }
        for t in eval.totals.iter() {
            prop_assert!(t.amount.as_decimal().scale() <= 2);
        }
        let cmp = compare(&p, &q, &roster, as_of()).unwrap();
        for c in &cmp.changed {
            prop_assert!(c.amount_before().as_decimal().scale() <= 2);
            prop_assert!(c.amount_after().as_decimal().scale() <= 2);
            prop_assert!(c.difference().scale() <= 2);
        }
        for i in cmp.programs.iter().chain(cmp.towns.iter().map(|t| &t.impact)) {
            prop_assert!(i.before.amount.as_decimal().scale() <= 2 && i.after.amount.as_decimal().scale() <= 2);
        }
    }
}
