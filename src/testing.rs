//! A testing kit for county engineers (cargo feature `proptest`): `proptest` strategies for
//! every record kind, rosters and policies, and invariant checks to run on a county's own
//! rule as on the built-in ones (the crate's own tests use them).
//!
//! ```
//! use jiuye_fupin::testing;
//! use jiuye_fupin::rules::transport;
//! use jiuye_fupin::{Engine, Policy, Yuan};
//! use proptest::prelude::*;
//!
//! let engine = Engine::new(&Policy::yang_county_2020());
//! let as_of = "2020-04-01".parse()?;
//! let cap = Yuan::parse("500")?;
//! proptest!(ProptestConfig::with_cases(64), |(l in testing::laborer())| {
//!     let d = engine.decide(transport::PROGRAM, &l, as_of).unwrap();
//!     testing::well_formed(&d)?;
//!     testing::at_most(&d, cap)?;
//! });
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::collections::HashMap;

use chrono::NaiveDate;
use proptest::prelude::*;
use proptest::test_runner::TestCaseError;
use rust_decimal::Decimal;

use crate::decision::{Decision, Outcome, Program};
use crate::engine::Engine;
use crate::model::{
    CenterLevel, EmployerKind, Enterprise, Laborer, LoanApplication, Post, PostKind, PovertyStatus,
    Roster, RosterParts, StartupCenter, WorkDestination,
};
use crate::money::{Rate, Yuan};
use crate::policy::Policy;
use crate::reform::{Change, Reform};

/// The result of an invariant check: a failure is a `proptest` test-case failure.
pub type Check = Result<(), TestCaseError>;

/// Money with 0 to 4 decimals, up to `max` whole yuan.
pub fn money(max: u64) -> impl Strategy<Value = Yuan> {
    let units = max.saturating_mul(10_000);
    (0..=units, 0u32..=4).prop_map(|(units, scale)| {
        let d = Decimal::from_i128_with_scale(i128::from(units), 4).round_dp(scale);
        Yuan::new(d).unwrap_or(Yuan::ZERO)
    })
}

/// A rate of whole percent, `0.00..=1.00`.
pub fn rate() -> impl Strategy<Value = Rate> {
    (0i64..=100).prop_filter_map("a rate in 0..=1", |pct| {
        Rate::new(Decimal::new(pct, 2)).ok()
    })
}

/// A date from 2019-11 to 2021-04 (around the epidemic window), or none.
pub fn date() -> impl Strategy<Value = Option<NaiveDate>> {
    let start = NaiveDate::from_ymd_opt(2019, 11, 1).unwrap_or_default();
    prop_oneof![
        1 => Just(None),
        6 => (0u64..520).prop_map(move |d| start.checked_add_days(chrono::Days::new(d))),
    ]
}

/// Any poverty status.
pub fn poverty_status() -> impl Strategy<Value = PovertyStatus> {
    prop_oneof![
        Just(PovertyStatus::RemainingPoor),
        Just(PovertyStatus::Lifted),
        Just(PovertyStatus::None)
    ]
}

/// Any employer kind.
pub fn employer_kind() -> impl Strategy<Value = EmployerKind> {
    prop_oneof![
        Just(EmployerKind::TownOffice),
        Just(EmployerKind::School),
        Just(EmployerKind::HealthCenter),
        Just(EmployerKind::Village),
        Just(EmployerKind::Other)
    ]
}

prop_compose! {
    /// A laborer (id `L`), with every field that a rule reads generated.
    pub fn laborer()(
        poverty_status in poverty_status(),
        able_to_work in any::<bool>(),
        willing_to_work in any::<bool>(),
        fresh_graduate in any::<bool>(),
        hubei_returnee in any::<bool>(),
        zero_employment_household in any::<bool>(),
        destination in 0u8..3,
        departure_date in date(),
        transport_cost in proptest::option::of(money(2_000)),
        isolation_start in date(),
        isolation_days in 0u32..30,
        opened_store_in_county in any::<bool>(),
        store_opened_date in date(),
        town in prop::sample::select(vec!["龙亭镇", "洋州街道", "马畅镇"]),
    ) -> Laborer {
        let work_destination = match destination {
            0 => WorkDestination::None,
            1 => WorkDestination::InCounty,
            _ => WorkDestination::OutOfCounty,
        };
        Laborer {
            poverty_status, able_to_work, willing_to_work, fresh_graduate, hubei_returnee,
            zero_employment_household, work_destination, departure_date, transport_cost,
            isolation_start, isolation_days, opened_store_in_county, store_opened_date,
            town: town.to_owned(),
            ..Laborer::new("L")
        }
    }
}

prop_compose! {
    /// An enterprise (id `E`): no more layoffs than insured employees.
    pub fn enterprise()(
        ui_insured in any::<bool>(),
        ui_insured_months in 0u32..40,
        prior_year_ui_paid in money(2_000_000),
        (insured_headcount, layoffs) in (0u32..1000).prop_flat_map(|h| (Just(h), 0..=h)),
        hardship in any::<bool>(),
        deferral_months_requested in 0u32..12,
        monthly_pension_premium in money(100_000),
        monthly_unemployment_premium in money(10_000),
        monthly_injury_premium in money(10_000),
        application_date in date(),
    ) -> Enterprise {
        Enterprise {
            ui_insured, ui_insured_months, prior_year_ui_paid, insured_headcount, layoffs, hardship,
            deferral_months_requested, monthly_pension_premium, monthly_unemployment_premium,
            monthly_injury_premium, application_date,
            ..Enterprise::new("E")
        }
    }
}

prop_compose! {
    /// A post (id `P`, holder `L`).
    pub fn post()(
        employer_kind in employer_kind(),
        assistant in any::<bool>(),
        monthly_wage in money(3_000),
        months_paid in 0u32..13,
    ) -> Post {
        Post {
            employer_kind,
            post_kind: if assistant { PostKind::EpidemicAssistant } else { PostKind::PublicWelfare },
            holder_id: "L".into(),
            monthly_wage,
            months_paid,
            ..Post::new("P")
        }
    }
}

prop_compose! {
    /// A guaranteed-loan application (of laborer `L`).
    pub fn loan_application()(
        meets_guarantee_conditions in any::<bool>(),
        business_started in any::<bool>(),
        requested_amount in money(300_000),
        application_date in date(),
    ) -> LoanApplication {
        LoanApplication {
            meets_guarantee_conditions, business_started, requested_amount, application_date,
            ..LoanApplication::new("L")
        }
    }
}

prop_compose! {
    /// A startup center's claim (id `C`).
    pub fn startup_center()(
        county in any::<bool>(),
        year in proptest::option::of(2019i32..2022),
        claimed_rent in money(250_000),
        claimed_utilities in money(50_000),
    ) -> StartupCenter {
        StartupCenter {
            level: if county { CenterLevel::County } else { CenterLevel::Town },
            year, claimed_rent, claimed_utilities,
            ..StartupCenter::new("C")
        }
    }
}

/// A valid roster: unique ids, posts held and loans applied for by its laborers.
pub fn roster() -> impl Strategy<Value = Roster> {
    (
        proptest::collection::vec(laborer(), 1..10),
        proptest::collection::vec(enterprise(), 0..6),
        proptest::collection::vec((post(), any::<prop::sample::Index>()), 0..6),
        proptest::collection::vec((loan_application(), any::<prop::sample::Index>()), 0..4),
        proptest::collection::vec(startup_center(), 0..3),
    )
        .prop_map(
            |(mut laborers, mut enterprises, posts, loans, mut centers)| {
                for (i, l) in laborers.iter_mut().enumerate() {
                    l.id = format!("L{i}");
                }
                for (i, e) in enterprises.iter_mut().enumerate() {
                    e.id = format!("E{i}");
                }
                for (i, c) in centers.iter_mut().enumerate() {
                    c.id = format!("C{i}");
                }
                let holder = |ix: &prop::sample::Index| ix.get(&laborers).clone();
                let posts = (posts.iter().enumerate())
                    .map(|(i, (p, ix))| {
                        let h = holder(ix);
                        Post {
                            id: format!("P{i}"),
                            holder_id: h.id,
                            town: h.town,
                            ..p.clone()
                        }
                    })
                    .collect();
                let mut seen = std::collections::HashSet::new();
                let loans = (loans.iter())
                    .filter_map(|(a, ix)| {
                        let id = holder(ix).id;
                        seen.insert(id.clone()).then(|| LoanApplication {
                            laborer_id: id,
                            ..a.clone()
                        })
                    })
                    .collect();
                let parts = RosterParts {
                    laborers,
                    enterprises,
                    posts,
                    loans,
                    centers,
                    ..RosterParts::default()
                };
                Roster::from_parts(parts).unwrap_or_default()
            },
        )
}

/// A date on which a generated reform takes effect.
pub fn change_date() -> impl Strategy<Value = NaiveDate> {
    let start = NaiveDate::from_ymd_opt(2019, 6, 1).unwrap_or_default();
    (0u64..700).prop_map(move |d| {
        start
            .checked_add_days(chrono::Days::new(d))
            .unwrap_or(start)
    })
}

/// One generated change of a parameter of the built-in rules.
pub fn change() -> impl Strategy<Value = Change> {
    let text = |s: String| toml::Value::from(s);
    let value = prop_oneof![
        money(2_000).prop_map(move |m| ("transport_subsidy.cap", text(m.to_string()))),
        money(100).prop_map(move |m| ("isolation_allowance.daily_rate", text(m.to_string()))),
        (0i64..20).prop_map(|n| ("isolation_allowance.max_days", toml::Value::from(n))),
        any::<bool>().prop_map(|b| ("isolation_allowance.full_period_only", toml::Value::from(b))),
        money(10_000).prop_map(move |m| ("startup_grant.amount", text(m.to_string()))),
        rate().prop_map(move |r| ("ui_refund.rate", text(r.to_string()))),
        (0i64..40).prop_map(|n| ("ui_refund.min_insured_months", toml::Value::from(n))),
        rate().prop_map(move |r| ("ui_refund.max_layoff_rate", text(r.to_string()))),
        (0i64..12).prop_map(|n| ("premium_deferral.max_months", toml::Value::from(n))),
        rate().prop_map(move |r| ("post_subsidy.rate", text(r.to_string()))),
    ];
    (value, change_date()).prop_map(|((p, v), d)| Change::new(p, d, v))
}

/// The Yang County preset with a generated reform of up to five changes.
pub fn policy() -> impl Strategy<Value = Policy> {
    proptest::collection::vec(change(), 0..6).prop_map(|changes| {
        let reform = changes
            .into_iter()
            .fold(Reform::new("generated"), Reform::with);
        let base = Policy::yang_county_2020();
        reform.apply(&base).unwrap_or(base)
    })
}

/// An eligible decision has no reasons and an amount ≥ 0 with exactly two decimals; an
/// ineligible one has at least one reason and pays 0.00.
///
/// # Errors
/// A test-case failure naming the decision.
pub fn well_formed(d: &Decision<'_>) -> Check {
    match d.outcome {
        Outcome::Eligible { amount, .. } => {
            prop_assert_eq!(amount.as_decimal().scale(), 2, "{:?}", d);
            prop_assert!(amount.as_decimal() >= Decimal::ZERO, "{:?}", d);
        }
        Outcome::Ineligible { reasons } => {
            prop_assert!(!reasons.is_empty(), "{:?}", d);
            prop_assert!(d.amount().is_zero(), "{:?}", d);
        }
    }
    Ok(())
}

/// The decision never pays more than `cap`.
///
/// # Errors
/// A test-case failure naming the decision.
pub fn at_most(d: &Decision<'_>, cap: Yuan) -> Check {
    prop_assert!(d.amount() <= cap, "{} above {cap}: {:?}", d.amount(), d);
    Ok(())
}

/// The amounts of `program` on `roster` as of `as_of`, by subject.
fn amounts(
    policy: &Policy,
    roster: &Roster,
    program: Program,
    as_of: NaiveDate,
) -> Result<HashMap<String, Yuan>, TestCaseError> {
    let engine = Engine::new(policy).explain(false);
    let eval = (engine.evaluate(roster, as_of)).map_err(|e| TestCaseError::fail(e.to_string()))?;
    Ok((eval.decisions.iter())
        .filter(|d| d.program == program)
        .map(|d| (d.subject_id.to_owned(), d.amount()))
        .collect())
}

/// Raising `parameter` (a path `table.name`, as in a reform) to `higher` from `from` never
/// lowers an amount of `program` on `roster`: the program is monotone in that parameter.
///
/// # Errors
/// A test-case failure naming the subject whose amount fell, or the reform that did not
/// apply.
pub fn monotone_in(
    base: &Policy,
    program: Program,
    parameter: &str,
    from: NaiveDate,
    higher: impl Into<toml::Value>,
    roster: &Roster,
    as_of: NaiveDate,
) -> Check {
    let reformed = Reform::new("raise")
        .change(parameter, from, higher)
        .apply(base)
        .map_err(|e| TestCaseError::fail(e.to_string()))?;
    let before = amounts(base, roster, program, as_of)?;
    let after = amounts(&reformed, roster, program, as_of)?;
    for (id, was) in &before {
        let now = after.get(id).copied().unwrap_or(Yuan::ZERO);
        prop_assert!(
            now >= *was,
            "{program} {id}: {was} fell to {now} when {parameter} rose"
        );
    }
    Ok(())
}

/// A reform restating every entry of `p`'s parameter histories (same dates, values and
/// sources) yields a policy that decides `roster` exactly as `p` does.
///
/// # Errors
/// A test-case failure naming the first decision that changed.
pub fn identity_reform_changes_nothing(p: &Policy, roster: &Roster, as_of: NaiveDate) -> Check {
    let text = p.to_toml().map_err(TestCaseError::fail)?;
    let table: toml::Table =
        toml::from_str(&text).map_err(|e| TestCaseError::fail(e.to_string()))?;
    let mut reform = Reform::new("identity");
    for (name, params) in table.iter().filter_map(|(k, v)| Some((k, v.as_table()?))) {
        for (param, history) in params {
            let Some(entries) = history.as_array() else {
                continue;
            };
            for entry in entries {
                let (Some(date), Some(value)) = (
                    entry
                        .get("effective_from")
                        .and_then(|d| d.as_str()?.parse().ok()),
                    entry.get("value"),
                ) else {
                    continue;
                };
                let mut c = Change::new(format!("{name}.{param}"), date, value.clone());
                c.source = (entry.get("source").and_then(|s| s.as_str())).map(str::to_owned);
                reform = reform.with(c);
            }
        }
    }
    let q = reform
        .apply(p)
        .map_err(|e| TestCaseError::fail(e.to_string()))?;
    let outcomes = |policy: &Policy| -> Result<Vec<(String, String, Outcome)>, TestCaseError> {
        let engine = Engine::new(policy).explain(false);
        let eval =
            (engine.evaluate(roster, as_of)).map_err(|e| TestCaseError::fail(e.to_string()))?;
        Ok((eval.decisions.iter())
            .map(|d| {
                (
                    d.program.code().to_owned(),
                    d.subject_id.to_owned(),
                    d.outcome,
                )
            })
            .collect())
    };
    prop_assert_eq!(outcomes(p)?, outcomes(&q)?);
    Ok(())
}
