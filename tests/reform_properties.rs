//! Properties of reforms, comparisons and serialization over generated rosters and
//! policies (proptest). A generated policy is the Yang preset with a generated reform.

use std::collections::HashMap;

use chrono::NaiveDate;
use jiuye_fupin::compare::compare;
use jiuye_fupin::model::{EmployerKind, Enterprise, Laborer, Post, PovertyStatus, WorkDestination};
use jiuye_fupin::money::{Rate, Yuan};
use jiuye_fupin::record::DecisionRecord;
use jiuye_fupin::reform::{Change, Reform};
use jiuye_fupin::{Engine, Outcome, Policy, Program, Roster};
use proptest::prelude::*;
use rust_decimal::Decimal;

fn as_of() -> NaiveDate {
    NaiveDate::from_ymd_opt(2020, 4, 1).unwrap()
}

/// Money with 0 to 3 decimals, below `max` yuan.
fn money(max: i64) -> impl Strategy<Value = Yuan> {
    (0..max * 1000, 0u32..=3).prop_map(|(milli, scale)| {
        let d = Decimal::new(milli, 3).round_dp(scale);
        Yuan::new(d).unwrap()
    })
}

/// A date from 2019-11-01, about a year and a half on, or none.
fn date() -> impl Strategy<Value = Option<NaiveDate>> {
    let start = NaiveDate::from_ymd_opt(2019, 11, 1).unwrap();
    prop_oneof![
        1 => Just(None),
        5 => (0u64..520).prop_map(move |d| Some(start + chrono::Days::new(d))),
    ]
}

fn change_date() -> impl Strategy<Value = NaiveDate> {
    let start = NaiveDate::from_ymd_opt(2019, 6, 1).unwrap();
    (0u64..760).prop_map(move |d| start + chrono::Days::new(d))
}

fn status() -> impl Strategy<Value = PovertyStatus> {
    prop_oneof![
        Just(PovertyStatus::RemainingPoor),
        Just(PovertyStatus::Lifted),
        Just(PovertyStatus::None)
    ]
}

fn laborer() -> impl Strategy<Value = Laborer> {
    (
        (
            status(),
            any::<bool>(),
            any::<bool>(),
            any::<bool>(),
            0u8..3,
        ),
        (date(), proptest::option::of(money(1_500))),
        (date(), 0u32..20),
        (any::<bool>(), date()),
    )
        .prop_map(
            |((s, able, grad, out, town), (dep, cost), (iso, days), (store, opened))| Laborer {
                poverty_status: s,
                able_to_work: able,
                fresh_graduate: grad,
                work_destination: if out {
                    WorkDestination::OutOfCounty
                } else {
                    WorkDestination::InCounty
                },
                departure_date: dep,
                transport_cost: cost,
                isolation_start: iso,
                isolation_days: days,
                opened_store_in_county: store,
                store_opened_date: opened,
                town: ["龙亭镇", "谢村镇", "华阳镇"][usize::from(town)].to_owned(),
                ..Laborer::default()
            },
        )
}

fn enterprise() -> impl Strategy<Value = Enterprise> {
    (
        (any::<bool>(), 0u32..30, money(200_000)),
        (0u32..300).prop_flat_map(|h| (Just(h), 0..=h)),
        (
            any::<bool>(),
            0u32..10,
            money(50_000),
            money(5_000),
            money(5_000),
        ),
        date(),
    )
        .prop_map(
            |((insured, months, paid), (headcount, layoffs), (hard, req, p, u, i), app)| {
                Enterprise {
                    ui_insured: insured,
                    ui_insured_months: months,
                    prior_year_ui_paid: paid,
                    insured_headcount: headcount,
                    layoffs,
                    hardship: hard,
                    deferral_months_requested: req,
                    monthly_pension_premium: p,
                    monthly_unemployment_premium: u,
                    monthly_injury_premium: i,
                    application_date: app,
                    town: if months % 2 == 0 {
                        "洋州街道"
                    } else {
                        "纸坊街道"
                    }
                    .to_owned(),
                    ..Enterprise::default()
                }
            },
        )
}

fn employer() -> impl Strategy<Value = EmployerKind> {
    prop_oneof![
        Just(EmployerKind::TownOffice),
        Just(EmployerKind::School),
        Just(EmployerKind::HealthCenter),
        Just(EmployerKind::Village),
        Just(EmployerKind::Other)
    ]
}

/// A roster with unique ids; posts held by its laborers.
fn roster() -> impl Strategy<Value = (Vec<Laborer>, Vec<Enterprise>, Vec<Post>)> {
    (
        proptest::collection::vec(laborer(), 1..10),
        proptest::collection::vec(enterprise(), 0..6),
        proptest::collection::vec(
            (
                employer(),
                any::<prop::sample::Index>(),
                money(3_000),
                0u32..13,
            ),
            0..6,
        ),
    )
        .prop_map(|(mut ls, mut es, ps)| {
            for (i, l) in ls.iter_mut().enumerate() {
                l.id = format!("L{i}");
            }
            for (i, e) in es.iter_mut().enumerate() {
                e.id = format!("E{i}");
            }
            let posts = (ps.into_iter().enumerate())
                .map(|(i, (kind, holder, wage, months))| Post {
                    employer_kind: kind,
                    holder_id: ls[holder.index(ls.len())].id.clone(),
                    monthly_wage: wage,
                    months_paid: months,
                    town: ls[holder.index(ls.len())].town.clone(),
                    ..Post::new(format!("P{i}"))
                })
                .collect();
            (ls, es, posts)
        })
}

fn build((l, e, p): (Vec<Laborer>, Vec<Enterprise>, Vec<Post>)) -> Roster {
    Roster::new(l, e, p).unwrap()
}

fn rate() -> impl Strategy<Value = String> {
    (0u32..=100).prop_map(|pct| {
        Rate::new(Decimal::new(i64::from(pct), 2))
            .unwrap()
            .to_string()
    })
}

/// One generated change of a parameter of the preset.
fn change() -> impl Strategy<Value = Change> {
    let value = prop_oneof![
        money(2_000).prop_map(|m| ("transport_subsidy.cap", toml::Value::from(m.to_string()))),
        money(100).prop_map(|m| (
            "isolation_allowance.daily_rate",
            toml::Value::from(m.to_string())
        )),
        (0i64..20).prop_map(|n| ("isolation_allowance.max_days", toml::Value::from(n))),
        any::<bool>().prop_map(|b| ("isolation_allowance.full_period_only", toml::Value::from(b))),
        money(10_000).prop_map(|m| ("startup_grant.amount", toml::Value::from(m.to_string()))),
        rate().prop_map(|r| ("ui_refund.rate", toml::Value::from(r))),
        (0i64..40).prop_map(|n| ("ui_refund.min_insured_months", toml::Value::from(n))),
        rate().prop_map(|r| ("ui_refund.max_layoff_rate", toml::Value::from(r))),
        (0i64..12).prop_map(|n| ("premium_deferral.max_months", toml::Value::from(n))),
        rate().prop_map(|r| ("post_subsidy.rate", toml::Value::from(r))),
    ];
    (value, change_date()).prop_map(|((p, v), d)| Change::new(p, d, v))
}

/// The preset with a generated reform.
fn policy() -> impl Strategy<Value = Policy> {
    proptest::collection::vec(change(), 0..6).prop_map(|changes| {
        let reform = changes
            .into_iter()
            .fold(Reform::new("generated"), Reform::with);
        reform.apply(&Policy::yang_county_2020()).unwrap()
    })
}

/// A reform restating every entry of `p`'s histories, with the same date, value and source.
fn restating(p: &Policy) -> Reform {
    let table = toml::Table::try_from(p).unwrap();
    let mut reform = Reform::new("identity");
    for (name, params) in table.iter().filter_map(|(k, v)| Some((k, v.as_table()?))) {
        for (param, history) in params {
            for entry in history.as_array().unwrap() {
                let date = entry["effective_from"].as_str().unwrap().parse().unwrap();
                let mut c = Change::new(format!("{name}.{param}"), date, entry["value"].clone());
                c.source = entry
                    .get("source")
                    .and_then(|s| s.as_str())
                    .map(str::to_owned);
                reform = reform.with(c);
            }
        }
    }
    reform
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
    fn an_identity_reform_changes_nothing(p in policy(), r in roster()) {
        let roster = build(r);
        for reform in [Reform::new("empty"), restating(&p)] {
            let q = reform.apply(&p).unwrap();
            let renamed = q.with_overlay_str(&format!("name = {:?}", p.name())).unwrap();
            prop_assert_eq!(&renamed, &p);
            let cmp = compare(&p, &q, &roster, as_of()).unwrap();
            prop_assert!(cmp.is_unchanged());
            prop_assert!(cmp.programs.iter().all(|i| i.before == i.after));
        }
    }

    #[test]
    fn evaluation_is_independent_of_record_order(
        p in policy(),
        (l, e, posts) in roster().prop_flat_map(|(l, e, p)| (Just(l).prop_shuffle(), Just(e).prop_shuffle(), Just(p).prop_shuffle())),
    ) {
        let shuffled = build((l.clone(), e.clone(), posts.clone()));
        let mut sorted = (l, e, posts);
        sorted.0.sort_by(|a, b| a.id.cmp(&b.id));
        sorted.1.sort_by(|a, b| a.id.cmp(&b.id));
        sorted.2.sort_by(|a, b| a.id.cmp(&b.id));
        let sorted = build(sorted);
        prop_assert_eq!(outcomes(&p, &shuffled), outcomes(&p, &sorted));
    }

    #[test]
    fn raising_a_cap_never_lowers_any_amount(
        p in policy(), r in roster(), from in change_date(), extra in money(500), months in 0i64..6,
    ) {
        let roster = build(r);
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
    fn a_rate_change_scales_only_the_programs_that_use_it(
        p in policy(), r in roster(), from in change_date(), new_rate in rate(), ui in any::<bool>(),
    ) {
        let roster = build(r);
        let (parameter, program) = if ui {
            ("ui_refund.rate", jiuye_fupin::rules::ui_refund::PROGRAM)
        } else {
            ("post_subsidy.rate", jiuye_fupin::rules::post_subsidy::PROGRAM)
        };
        let q = Reform::new("rate").change(parameter, from, new_rate.as_str()).apply(&p).unwrap();
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
    fn policy_files_and_decisions_survive_a_serde_round_trip_unchanged(p in policy(), r in roster()) {
        let text = toml::to_string(&p).unwrap();
        prop_assert_eq!(&Policy::from_toml_str(&text).unwrap(), &p);
        let roster = build(r);
        let engine = Engine::new(&p);
        let eval = engine.evaluate(&roster, as_of()).unwrap();
        let records: Vec<DecisionRecord> = eval.decisions.iter().map(DecisionRecord::from).collect();
        let text = toml::to_string(&DecisionRecord::table(&records)).unwrap();
        prop_assert_eq!(&DecisionRecord::from_table_str(&text).unwrap(), &records);
        let json = serde_json::to_string(&records).unwrap();
        prop_assert_eq!(&serde_json::from_str::<Vec<DecisionRecord>>(&json).unwrap(), &records);
    }

    #[test]
    fn every_amount_has_at_most_two_decimals(p in policy(), q in policy(), r in roster()) {
        let roster = build(r);
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
