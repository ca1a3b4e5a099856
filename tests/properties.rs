//! Invariants over generated records (proptest).

mod common;

use common::Builtin;

use chrono::NaiveDate;
use common::as_of;
use jiuye_fupin::model::{EmployerKind, Enterprise, Laborer, Post, PovertyStatus, WorkDestination};
use jiuye_fupin::money::Yuan;
use jiuye_fupin::{Decision, Engine, Outcome, Policy};
use proptest::prelude::*;
use rust_decimal::Decimal;

fn engine() -> &'static Engine {
    static ENGINE: std::sync::OnceLock<Engine> = std::sync::OnceLock::new();
    ENGINE.get_or_init(|| Engine::new(&Policy::yang_county_2020()))
}

/// Money with 0 to 4 decimals, up to `max` whole yuan.
fn money(max: u64) -> impl Strategy<Value = Yuan> {
    (0..=max * 10_000, 0u32..=4).prop_map(|(units, scale)| {
        let d = Decimal::from_i128_with_scale(i128::from(units), 4);
        Yuan::new(d.round_dp(scale).max(Decimal::ZERO)).unwrap()
    })
}

fn date() -> impl Strategy<Value = Option<NaiveDate>> {
    let start = NaiveDate::from_ymd_opt(2019, 11, 1).unwrap();
    prop_oneof![
        1 => Just(None),
        6 => (0i64..520).prop_map(move |d| Some(start + chrono::Days::new(d as u64))),
    ]
}

fn status() -> impl Strategy<Value = PovertyStatus> {
    prop_oneof![
        Just(PovertyStatus::RemainingPoor),
        Just(PovertyStatus::Lifted),
        Just(PovertyStatus::None)
    ]
}

prop_compose! {
    fn laborer()(
        poverty_status in status(),
        able_to_work in any::<bool>(),
        fresh_graduate in any::<bool>(),
        out in any::<bool>(),
        departure_date in date(),
        transport_cost in proptest::option::of(money(2_000)),
        isolation_start in date(),
        isolation_days in 0u32..30,
        opened_store_in_county in any::<bool>(),
        store_opened_date in date(),
    ) -> Laborer {
        Laborer {
            poverty_status, able_to_work, fresh_graduate,
            work_destination: if out { WorkDestination::OutOfCounty } else { WorkDestination::InCounty },
            departure_date, transport_cost, isolation_start, isolation_days,
            opened_store_in_county, store_opened_date,
            ..Laborer::new("L")
        }
    }
}

prop_compose! {
    fn enterprise()(
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

fn employer() -> impl Strategy<Value = EmployerKind> {
    prop_oneof![
        Just(EmployerKind::TownOffice),
        Just(EmployerKind::School),
        Just(EmployerKind::HealthCenter),
        Just(EmployerKind::Village),
        Just(EmployerKind::Other)
    ]
}

/// An eligible decision has no reasons and an amount with exactly two decimals; an
/// ineligible one has at least one reason and pays 0.00.
fn well_formed(d: &Decision<'_>) -> Result<(), TestCaseError> {
    match d.outcome {
        Outcome::Eligible { amount, .. } => {
            prop_assert_eq!(amount.as_decimal().scale(), 2);
            prop_assert!(amount.as_decimal() >= Decimal::ZERO);
        }
        Outcome::Ineligible { reasons } => {
            prop_assert!(!reasons.is_empty());
            prop_assert!(d.amount().is_zero());
        }
    }
    Ok(())
}

fn amount(d: &Decision<'_>) -> Decimal {
    d.amount().as_decimal()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn no_laborer_amount_exceeds_its_cap_or_falls_below_zero(l in laborer()) {
        let [t, i, s] = engine().laborer(&l, as_of()).unwrap();
        for d in [&t, &i, &s] { well_formed(d)?; }
        prop_assert!(amount(&t) <= Decimal::new(500, 0));
        prop_assert!(amount(&i) <= Decimal::new(140, 0));
        prop_assert!(amount(&s) == Decimal::ZERO || amount(&s) == Decimal::new(5000, 0));
    }

    #[test]
    fn no_enterprise_amount_exceeds_its_cap(e in enterprise()) {
        let [u, d] = engine().enterprise(&e, as_of()).unwrap();
        well_formed(&u)?;
        well_formed(&d)?;
        let share = e.prior_year_ui_paid.as_decimal() * Decimal::new(6, 1);
        prop_assert!(amount(&u) <= share.round_dp(2) + Decimal::new(1, 2));
        let monthly = e.monthly_pension_premium.as_decimal()
            + e.monthly_unemployment_premium.as_decimal()
            + e.monthly_injury_premium.as_decimal();
        prop_assert!(amount(&d) <= (monthly * Decimal::from(6)).round_dp(2) + Decimal::new(1, 2));
    }

    #[test]
    fn a_higher_transport_cost_never_lowers_the_subsidy(l in laborer(), extra in money(1_000)) {
        let more = Laborer {
            transport_cost: l.transport_cost.map(|c| c.checked_add(extra).unwrap()),
            ..l.clone()
        };
        let e = engine();
        prop_assert!(amount(&e.transport_subsidy(&more, as_of()).unwrap())
            >= amount(&e.transport_subsidy(&l, as_of()).unwrap()));
    }

    #[test]
    fn more_days_of_isolation_never_lower_the_allowance(l in laborer(), extra in 0u32..10) {
        let more = Laborer { isolation_days: l.isolation_days + extra, ..l.clone() };
        let e = engine();
        prop_assert!(amount(&e.isolation_allowance(&more, as_of()).unwrap())
            >= amount(&e.isolation_allowance(&l, as_of()).unwrap()));
    }

    #[test]
    fn more_months_never_lower_a_deferral_or_a_post_subsidy(
        en in enterprise(), extra in 0u32..10, kind in employer(), holder in status(),
        wage in money(5_000), months in 0u32..13,
    ) {
        let e = engine();
        let more = Enterprise { deferral_months_requested: en.deferral_months_requested + extra, ..en.clone() };
        prop_assert!(amount(&e.premium_deferral(&more, as_of()).unwrap())
            >= amount(&e.premium_deferral(&en, as_of()).unwrap()));
        let post = Post { employer_kind: kind, monthly_wage: wage, months_paid: months, ..Post::new("P") };
        let longer = Post { months_paid: months + extra, ..post.clone() };
        let d = e.post_subsidy(&post, holder, as_of()).unwrap();
        well_formed(&d)?;
        prop_assert!(amount(&e.post_subsidy(&longer, holder, as_of()).unwrap()) >= amount(&d));
    }

    #[test]
    fn explanations_never_change_a_result(l in laborer(), en in enterprise()) {
        let without = Engine::new(&Policy::yang_county_2020()).explain(false);
        let (with, without) = (engine(), &without);
        let a = with.laborer(&l, as_of()).unwrap();
        let b = without.laborer(&l, as_of()).unwrap();
        for (x, y) in a.iter().zip(&b) {
            prop_assert_eq!(x.outcome, y.outcome);
            prop_assert!(y.steps.is_empty());
            prop_assert!(!x.is_eligible() || !x.steps.is_empty());
        }
        let a = with.enterprise(&en, as_of()).unwrap();
        let b = without.enterprise(&en, as_of()).unwrap();
        for (x, y) in a.iter().zip(&b) {
            prop_assert_eq!(x.outcome, y.outcome);
        }
    }

    #[test]
    fn rounding_is_half_away_from_zero_to_the_fen(fen in 0u64..10_000_000, tail in 0u32..1000) {
        // exact = fen.tail (three more decimals)
        let exact = Decimal::from_i128_with_scale(i128::from(fen) * 1000 + i128::from(tail), 5);
        let paid = Yuan::round_to_fen(exact).as_decimal();
        let expected_fen = i128::from(fen) + i128::from(tail >= 500);
        prop_assert_eq!(paid, Decimal::from_i128_with_scale(expected_fen, 2));
    }
}
