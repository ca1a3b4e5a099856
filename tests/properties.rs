//! Invariants over generated records (proptest).

mod common;

use common::Builtin;

use common::as_of;
use jiuye_fupin::model::{Enterprise, Laborer, Post};
use jiuye_fupin::money::Yuan;
use jiuye_fupin::rules::{isolation, premium_deferral, transport};
use jiuye_fupin::testing::{
    at_most, employer_kind as employer, enterprise, laborer, money, monotone_in,
    poverty_status as status, roster, well_formed,
};
use jiuye_fupin::{Decision, Engine, Policy};
use proptest::prelude::*;
use rust_decimal::Decimal;

fn engine() -> &'static Engine {
    static ENGINE: std::sync::OnceLock<Engine> = std::sync::OnceLock::new();
    ENGINE.get_or_init(|| Engine::new(&Policy::yang_county_2020()))
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
        at_most(&t, Yuan::parse("500").unwrap())?;
        at_most(&i, Yuan::parse("140").unwrap())?;
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

    #[test]
    fn caps_max_days_and_max_months_are_monotone_parameters(
        r in roster(), cap in 0u32..2000, days in 0i64..30, months in 0i64..12,
    ) {
        let base = Policy::yang_county_2020();
        let from = "2015-01-01".parse().unwrap();
        // From zero up to the generated value: never lowers any amount.
        let lowered = jiuye_fupin::reform::Reform::new("low")
            .change("transport_subsidy.cap", from, "0.00")
            .change("isolation_allowance.max_days", from, 0)
            .change("premium_deferral.max_months", from, 0)
            .apply(&base)
            .unwrap();
        monotone_in(&lowered, transport::PROGRAM, "transport_subsidy.cap", from, format!("{cap}.00"), &r, as_of())?;
        monotone_in(&lowered, isolation::PROGRAM, "isolation_allowance.max_days", from, days, &r, as_of())?;
        monotone_in(&lowered, premium_deferral::PROGRAM, "premium_deferral.max_months", from, months, &r, as_of())?;
    }
}
