//! The integer fast path (`outcome_fen`) against the `Decimal` path (`decide`) of every
//! rule, on random operands: whenever the fast path answers, it answers exactly what
//! `decide` does (eligibility, every reason, the amount to the fen and its written form,
//! `capped`); where `decide` refuses an amount, the fast path does not answer.

use chrono::NaiveDate;
use proptest::prelude::*;
use rust_decimal::Decimal;

use super::{isolation, post_subsidy, premium_deferral, startup_grant, transport, ui_refund};
use crate::dated::DateWindow;
use crate::decision::{Decision, Outcome};
use crate::model::{EmployerKind, Enterprise, Laborer, Post, PovertyStatus, WorkDestination};
use crate::money::{MoneyError, Rate, Yuan};

/// Amounts of every shape: small, half-fen ties, many decimals, huge.
fn yuan() -> impl Strategy<Value = Yuan> {
    let decimal = |(m, s): (i128, u32)| Yuan::new(Decimal::from_i128_with_scale(m, s)).unwrap();
    prop_oneof![
        4 => (0i128..2_000_000, 0u32..=4).prop_map(decimal),
        2 => (0i128..200_000, 0u32..=2).prop_map(|(k, s)| (k * 10 + 5, s + 1)).prop_map(decimal),
        1 => (0i128..10_000_000_000, 5u32..=12).prop_map(decimal),
        1 => (0i128..=1_000_000_000_000_000_000_000, 0u32..=4).prop_map(decimal),
        1 => (0i128..(1 << 95), 0u32..=28).prop_map(decimal),
        1 => Just(Yuan::ZERO),
    ]
}

fn rate() -> impl Strategy<Value = Rate> {
    prop_oneof![
        3 => (0i128..=100, Just(2u32)),
        2 => (0u32..=24).prop_flat_map(|s| (0i128..=10_i128.pow(s), Just(s))),
        1 => Just((1i128, 0u32)),
    ]
    .prop_map(|(m, s)| Rate::new(Decimal::from_i128_with_scale(m, s)).unwrap())
}

fn date() -> impl Strategy<Value = NaiveDate> {
    let start = NaiveDate::from_ymd_opt(2019, 11, 1).unwrap();
    (0u64..520).prop_map(move |d| start + chrono::Days::new(d))
}

fn window() -> impl Strategy<Value = DateWindow> {
    (date(), 0u64..400)
        .prop_map(|(from, len)| DateWindow::new(from, from + chrono::Days::new(len)).unwrap())
}

fn status() -> impl Strategy<Value = PovertyStatus> {
    prop_oneof![
        Just(PovertyStatus::RemainingPoor),
        Just(PovertyStatus::Lifted),
        Just(PovertyStatus::None)
    ]
}

fn count() -> impl Strategy<Value = u32> {
    prop_oneof![4 => 0u32..20, 1 => any::<u32>()]
}

prop_compose! {
    fn laborer()(
        poverty_status in status(),
        able_to_work in any::<bool>(),
        fresh_graduate in any::<bool>(),
        out in any::<bool>(),
        transport_cost in proptest::option::of(yuan()),
        isolation_days in count(),
        opened_store_in_county in any::<bool>(),
    ) -> Laborer {
        Laborer {
            poverty_status, able_to_work, fresh_graduate,
            work_destination: if out { WorkDestination::OutOfCounty } else { WorkDestination::InCounty },
            transport_cost, isolation_days, opened_store_in_county,
            ..Laborer::new("L")
        }
    }
}

prop_compose! {
    fn enterprise()(
        ui_insured in any::<bool>(),
        ui_insured_months in 0u32..30,
        prior_year_ui_paid in yuan(),
        (insured_headcount, layoffs) in (0u32..1000).prop_flat_map(|h| (Just(h), 0..=h)),
        hardship in any::<bool>(),
        deferral_months_requested in count(),
        monthly_pension_premium in yuan(),
        monthly_unemployment_premium in yuan(),
        monthly_injury_premium in yuan(),
    ) -> Enterprise {
        Enterprise {
            ui_insured, ui_insured_months, prior_year_ui_paid, insured_headcount, layoffs,
            hardship, deferral_months_requested, monthly_pension_premium,
            monthly_unemployment_premium, monthly_injury_premium,
            ..Enterprise::new("E")
        }
    }
}

/// The fast outcome agrees with the `Decimal` decision, or the fast path declined.
fn agree(
    fast: Option<Outcome>,
    slow: Result<Decision<'_>, MoneyError>,
) -> Result<bool, TestCaseError> {
    let Some(fast) = fast else { return Ok(false) };
    let slow = match slow {
        Ok(d) => d,
        Err(e) => {
            return Err(TestCaseError::fail(format!(
                "fast path answered {fast:?} where decide refused: {e}"
            )));
        }
    };
    prop_assert_eq!(fast, slow.outcome);
    if let (Outcome::Eligible { amount: a, .. }, Outcome::Eligible { amount: b, .. }) =
        (fast, slow.outcome)
    {
        prop_assert_eq!(a.to_string(), b.to_string());
    }
    Ok(true)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(4000))]

    #[test]
    fn r1_fast_path_equals_the_decimal_path(l in laborer(), d in date(), cap in yuan(), window in window()) {
        let p = transport::InForce { cap, window };
        agree(transport::outcome_fen(&l, d, &p), transport::decide(&l, d, &p, false))?;
    }

    #[test]
    fn r2_fast_path_equals_the_decimal_path(
        l in laborer(), d in date(), daily_rate in yuan(), max_days in count(),
        full_period_only in any::<bool>(), window in window(),
    ) {
        let p = isolation::InForce { daily_rate, max_days, full_period_only, window };
        agree(isolation::outcome_fen(&l, d, &p), isolation::decide(&l, d, &p, false))?;
    }

    #[test]
    fn r3_fast_path_equals_the_decimal_path(l in laborer(), d in date(), amount in yuan(), window in window()) {
        let p = startup_grant::InForce { amount, window };
        agree(startup_grant::outcome_fen(&l, d, &p), startup_grant::decide(&l, d, &p, false))?;
    }

    #[test]
    fn r5_fast_path_equals_the_decimal_path(
        e in enterprise(), d in date(), rate in rate(), min_insured_months in 0u32..24,
        max_layoff_rate in rate(), small in 0u32..100, small_rate in rate(),
    ) {
        let p = ui_refund::InForce {
            rate, min_insured_months, max_layoff_rate,
            small_enterprise_max_headcount: small, small_enterprise_max_layoff_rate: small_rate,
        };
        agree(ui_refund::outcome_fen(&e, &p), ui_refund::decide(&e, d, &p, false))?;
    }

    #[test]
    fn r6_fast_path_equals_the_decimal_path(
        e in enterprise(), d in date(), max_months in count(), window in proptest::option::of(window()),
    ) {
        let p = premium_deferral::InForce { max_months, window };
        agree(premium_deferral::outcome_fen(&e, d, &p), premium_deferral::decide(&e, d, &p, false))?;
    }

    #[test]
    fn r8_fast_path_equals_the_decimal_path(
        wage in yuan(), months in count(), kind in 0usize..5, holder in status(), d in date(),
        rate in rate(), employers in any::<[bool; 5]>(),
    ) {
        let kinds = [EmployerKind::TownOffice, EmployerKind::School, EmployerKind::HealthCenter,
                     EmployerKind::Village, EmployerKind::Other];
        let post = Post { employer_kind: kinds[kind], monthly_wage: wage, months_paid: months, ..Post::new("P") };
        let eligible_employers = kinds.iter().zip(employers).filter(|(_, on)| *on).map(|(k, _)| *k).collect();
        let p = post_subsidy::InForce { rate, eligible_employers };
        agree(post_subsidy::outcome_fen(&post, holder, &p), post_subsidy::decide(&post, holder, d, &p, false))?;
    }
}

#[test]
fn the_fast_path_answers_for_the_policy_figures_and_their_ties() {
    let d: NaiveDate = "2020-03-01".parse().unwrap();
    let policy = crate::Policy::yang_county_2020();
    use super::Parameters;
    let p = policy.ui_refund().in_force(d).unwrap();
    let e = Enterprise {
        ui_insured: true,
        ui_insured_months: 24,
        insured_headcount: 100,
        prior_year_ui_paid: Yuan::parse("12345.675").unwrap(),
        ..Enterprise::new("E1")
    };
    let fast = ui_refund::outcome_fen(&e, &p).unwrap();
    assert_eq!(
        fast,
        Outcome::Eligible {
            amount: Yuan::parse("7407.41").unwrap(),
            capped: false
        }
    );
    let p = policy.transport_subsidy().in_force(d).unwrap();
    for (cost, paid, capped) in [
        ("500.005", "500.00", true),
        ("499.995", "500.00", false),
        ("30.005", "30.01", false),
        ("0.004", "0.00", false),
        ("523.4", "500.00", true),
    ] {
        let l = Laborer {
            poverty_status: PovertyStatus::Lifted,
            able_to_work: true,
            work_destination: WorkDestination::OutOfCounty,
            transport_cost: Some(Yuan::parse(cost).unwrap()),
            ..Laborer::new("L1")
        };
        let Some(Outcome::Eligible { amount, capped: c }) = transport::outcome_fen(&l, d, &p)
        else {
            panic!("{cost}: no fast answer");
        };
        assert_eq!((amount.to_string().as_str(), c), (paid, capped), "{cost}");
    }
}

#[test]
fn the_fast_path_declines_what_it_cannot_prove() {
    let d: NaiveDate = "2020-03-01".parse().unwrap();
    let policy = crate::Policy::yang_county_2020();
    use super::Parameters;
    let p = policy.transport_subsidy().in_force(d).unwrap();
    let l = Laborer {
        poverty_status: PovertyStatus::Lifted,
        able_to_work: true,
        work_destination: WorkDestination::OutOfCounty,
        transport_cost: Some(Yuan::parse("123.456789").unwrap()),
        ..Laborer::new("L1")
    };
    assert_eq!(
        transport::outcome_fen(&l, d, &p),
        None,
        "more than 4 decimals"
    );
}
