//! An independent model of POLICY.md against the stream (`batch::run`, what
//! `payouts --data` runs), on random rosters whose values sit on the rules' edges.
//!
//! The model is written from POLICY.md's text and the Yang County numbers of the article
//! alone: it uses none of the crate's rules, parameters, readers or writers, only
//! `rust_decimal` for exact money. For R1–R8 it writes the whole `payouts.csv` it expects
//! (every row, amount, reason code in order, and `capped`), and the stream's bytes must be
//! exactly those. Two implementations that share no code agree, or one of them is wrong.

use std::fmt::Write as _;

use jiuye_fupin::Policy;
use jiuye_fupin::batch::{self, Inputs, Options, Source};
use proptest::prelude::*;
use proptest::sample::select;
use rust_decimal::{Decimal, RoundingStrategy};

const AS_OF: &str = "2020-04-01";
/// The epidemic window (POLICY.md, "The policy window").
const WINDOW: (&str, &str) = ("2020-01-25", "2020-12-31");

/// Exact yuan of a cell (empty: 0).
fn yuan(s: &str) -> Decimal {
    if s.is_empty() {
        Decimal::ZERO
    } else {
        s.parse().unwrap()
    }
}

/// Rounded once, to the fen, half away from zero, with two decimals.
fn fen(d: Decimal) -> String {
    let mut r = d.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
    r.rescale(2);
    r.to_string()
}

/// A record's date, or the as-of date when it has none (reading 1), in the window.
fn in_window(date: &str) -> bool {
    let d = if date.is_empty() { AS_OF } else { date };
    (WINDOW.0..=WINDOW.1).contains(&d)
}

/// One payouts row: eligible with its amount (and `capped`), or ineligible with every
/// unmet condition.
fn row(out: &mut String, program: &str, id: &str, unmet: &[&str], amount: &str, capped: bool) {
    if unmet.is_empty() {
        let reasons = if capped { "capped" } else { "" };
        writeln!(out, "{program},{id},true,{amount},{reasons}").unwrap();
    } else {
        writeln!(out, "{program},{id},false,0.00,{}", unmet.join(";")).unwrap();
    }
}

/// `(condition failed, its code)` pairs to the codes of the failed ones, in order.
fn unmet<'a>(checks: &[(bool, &'a str)]) -> Vec<&'a str> {
    checks.iter().filter(|c| c.0).map(|c| c.1).collect()
}

#[derive(Debug, Clone)]
struct Laborer {
    status: &'static str,
    able: bool,
    graduate: bool,
    destination: &'static str,
    departure: &'static str,
    cost: &'static str,
    isolation_start: &'static str,
    isolation_days: &'static str,
    store: bool,
    store_opened: &'static str,
}

#[derive(Debug, Clone)]
struct Enterprise {
    insured: bool,
    months: u32,
    paid: &'static str,
    headcount: u32,
    layoffs: u32,
    hardship: bool,
    requested: u32,
    premiums: [&'static str; 3],
    applied: &'static str,
}

#[derive(Debug, Clone)]
struct Post {
    employer: &'static str,
    holder: usize,
    wage: &'static str,
    months: u32,
}

#[derive(Debug, Clone)]
struct Loan {
    meets: bool,
    started: bool,
    requested: &'static str,
    applied: &'static str,
}

#[derive(Debug, Clone)]
struct Center {
    level: &'static str,
    rent: &'static str,
    utilities: &'static str,
}

const DATES: &[&str] = &[
    "",
    "2019-11-30",
    "2020-01-24",
    "2020-01-25",
    "2020-04-01",
    "2020-12-31",
    "2021-01-01",
    "2021-03-31",
];
const MONEY: &[&str] = &[
    "",
    "0",
    "0.00",
    "0.004",
    "0.005",
    "1.005",
    "2.675",
    "30.005",
    "123.445",
    "499.99",
    "499.995",
    "499.9949",
    "500",
    "500.00",
    "500.005",
    "500.0001",
    "1200.9999",
    "12345.675",
    "1000.01",
    "800.075",
];

fn laborer() -> impl Strategy<Value = Laborer> {
    (
        (
            select(&["remaining_poor", "lifted", "none", ""][..]),
            any::<bool>(),
            any::<bool>(),
            select(&["out_of_county", "in_county", "none", ""][..]),
            select(DATES),
        ),
        (
            select(MONEY),
            select(DATES),
            select(&["", "0", "1", "6", "7", "8", "14"][..]),
            any::<bool>(),
            select(DATES),
        ),
    )
        .prop_map(|((status, able, graduate, destination, departure), rest)| {
            let (cost, isolation_start, isolation_days, store, store_opened) = rest;
            Laborer {
                status,
                able,
                graduate,
                destination,
                departure,
                cost,
                isolation_start,
                isolation_days,
                store,
                store_opened,
            }
        })
}

fn enterprise() -> impl Strategy<Value = Enterprise> {
    (
        (
            any::<bool>(),
            select(&[0u32, 11, 12, 13][..]),
            select(&["", "0", "1000.01", "12345.675", "86452.3", "2000000.005"][..]),
            select(&[0u32, 5, 29, 30, 31, 200, 1000][..]),
            0u32..=1000,
        ),
        (
            any::<bool>(),
            select(&[0u32, 1, 5, 6, 7, 12][..]),
            [
                select(&["", "0", "14400.00", "1000.005"][..]),
                select(&["", "450.00", "0.001"][..]),
                select(&["", "216.00", "99.995"][..]),
            ],
            select(DATES),
        ),
    )
        .prop_map(|((insured, months, paid, headcount, pick), rest)| {
            let (hardship, requested, premiums, applied) = rest;
            // Layoffs at the rate's edges (5.5%, 20%) as often as anywhere: at most the
            // headcount (more is invalid input, reading 2).
            let edges = [
                0,
                1,
                headcount / 5,
                headcount / 5 + 1,
                headcount * 55 / 1000,
            ];
            let layoffs = edges
                .get(pick as usize % 8)
                .copied()
                .unwrap_or(pick % (headcount + 1))
                .min(headcount);
            Enterprise {
                insured,
                months,
                paid,
                headcount,
                layoffs,
                hardship,
                requested,
                premiums,
                applied,
            }
        })
}

fn post() -> impl Strategy<Value = Post> {
    (
        select(
            &[
                "town_office",
                "school",
                "health_center",
                "village",
                "other",
                "",
            ][..],
        ),
        0usize..64,
        select(&["", "0", "800.075", "1000.01", "1500", "2345.67"][..]),
        select(&[0u32, 1, 6, 12][..]),
    )
        .prop_map(|(employer, holder, wage, months)| Post {
            employer,
            holder,
            wage,
            months,
        })
}

fn loan() -> impl Strategy<Value = Loan> {
    (
        any::<bool>(),
        any::<bool>(),
        select(
            &[
                "",
                "0",
                "0.004",
                "100000",
                "149999.995",
                "150000",
                "150000.005",
                "180000",
            ][..],
        ),
        select(DATES),
    )
        .prop_map(|(meets, started, requested, applied)| Loan {
            meets,
            started,
            requested,
            applied,
        })
}

fn center() -> impl Strategy<Value = Center> {
    (
        select(&["county", "town", ""][..]),
        select(&["", "0", "60000.00", "99999.995", "150000", "199999.999"][..]),
        select(&["", "0", "0.005", "18500.25", "62000.50"][..]),
    )
        .prop_map(|(level, rent, utilities)| Center {
            level,
            rent,
            utilities,
        })
}

fn b(v: bool) -> &'static str {
    if v { "true" } else { "false" }
}

/// The five files' texts.
fn files(
    ls: &[Laborer],
    es: &[Enterprise],
    ps: &[Post],
    loans: &[Loan],
    cs: &[Center],
) -> [String; 5] {
    let mut l = String::from(
        "id,household_id,town,village,poverty_status,able_to_work,willing_to_work,fresh_graduate,hubei_returnee,zero_employment_household,work_destination,departure_date,transport_cost,isolation_start,isolation_days,opened_store_in_county,store_opened_date\n",
    );
    for (i, x) in ls.iter().enumerate() {
        writeln!(
            l,
            "L{i},H{},龙亭镇,龙亭村,{},{},true,{},false,false,{},{},{},{},{},{},{}",
            i / 3,
            x.status,
            b(x.able),
            b(x.graduate),
            x.destination,
            x.departure,
            x.cost,
            x.isolation_start,
            x.isolation_days,
            b(x.store),
            x.store_opened
        )
        .unwrap();
    }
    let mut e = String::from(
        "id,name,town,kind,ui_insured,ui_insured_months,prior_year_ui_paid,insured_headcount,layoffs,hardship,deferral_months_requested,monthly_pension_premium,monthly_unemployment_premium,monthly_injury_premium,application_date\n",
    );
    for (i, x) in es.iter().enumerate() {
        let [pension, unemployment, injury] = x.premiums;
        writeln!(
            e,
            "E{i},企业,洋州街道,other,{},{},{},{},{},{},{},{pension},{unemployment},{injury},{}",
            b(x.insured),
            x.months,
            x.paid,
            x.headcount,
            x.layoffs,
            b(x.hardship),
            x.requested,
            x.applied
        )
        .unwrap();
    }
    let mut p = String::from(
        "id,employer_kind,employer_name,town,village,post_kind,holder_id,monthly_wage,months_paid\n",
    );
    for (i, x) in ps.iter().enumerate() {
        writeln!(
            p,
            "P{i},{},单位,洋州街道,,public_welfare,L{},{},{}",
            x.employer, x.holder, x.wage, x.months
        )
        .unwrap();
    }
    let mut a = String::from(
        "laborer_id,meets_guarantee_conditions,business_started,requested_amount,application_date\n",
    );
    for (i, x) in loans.iter().enumerate() {
        writeln!(
            a,
            "L{i},{},{},{},{}",
            b(x.meets),
            b(x.started),
            x.requested,
            x.applied
        )
        .unwrap();
    }
    let mut c = String::from("id,name,level,town,year,claimed_rent,claimed_utilities\n");
    for (i, x) in cs.iter().enumerate() {
        writeln!(c, "C{i},中心,{},,2020,{},{}", x.level, x.rent, x.utilities).unwrap();
    }
    [l, e, p, a, c]
}

/// The payouts.csv POLICY.md gives for these records (as of 2020-04-01, the Yang preset).
fn expected(
    ls: &[Laborer],
    es: &[Enterprise],
    ps: &[Post],
    loans: &[Loan],
    cs: &[Center],
) -> String {
    let mut out = String::from("program,subject_id,eligible,amount,reasons\n");
    let poor = |s: &str| s == "remaining_poor" || s == "lifted";
    for (i, x) in ls.iter().enumerate() {
        let id = format!("L{i}");
        // R1: min(cost, 500.00).
        let cost = yuan(x.cost);
        let cap = Decimal::from(500);
        let u = unmet(&[
            (!poor(x.status), "not_poor"),
            (!x.able, "unable_to_work"),
            (x.destination != "out_of_county", "not_out_of_county"),
            (cost <= Decimal::ZERO, "no_transport_cost"),
            (!in_window(x.departure), "outside_window"),
        ]);
        let amount = fen(cost.min(cap));
        row(&mut out, "transport_subsidy", &id, &u, &amount, cost > cap);
        // R2: 20.00 a day, up to 7 days.
        let days: u32 = x.isolation_days.parse().unwrap_or(0);
        let u = unmet(&[
            (!poor(x.status), "not_poor"),
            (days < 1, "not_isolated"),
            (!in_window(x.isolation_start), "outside_window"),
        ]);
        let amount = fen(Decimal::from(20 * days.min(7)));
        row(&mut out, "isolation_allowance", &id, &u, &amount, days > 7);
        // R3: 5,000.00 once.
        let u = unmet(&[
            (!(poor(x.status) || x.graduate), "not_poor_or_graduate"),
            (!x.store, "no_store_in_county"),
            (!in_window(x.store_opened), "outside_window"),
        ]);
        row(&mut out, "startup_grant", &id, &u, "5000.00", false);
    }
    for (i, x) in loans.iter().enumerate() {
        // R4: min(requested, 150,000.00).
        let requested = yuan(x.requested);
        let cap = Decimal::from(150_000);
        let u = unmet(&[
            (!x.meets, "guarantee_conditions_unmet"),
            (!x.started, "business_not_started"),
            (requested <= Decimal::ZERO, "no_amount_requested"),
        ]);
        let amount = fen(requested.min(cap));
        row(
            &mut out,
            "guaranteed_loan",
            &format!("L{i}"),
            &u,
            &amount,
            requested > cap,
        );
    }
    for (i, x) in es.iter().enumerate() {
        let id = format!("E{i}");
        // R5: 60% in the window (by the application date), 50% otherwise; at least 12
        // months insured; layoffs at most 5.5%, or 20% for at most 30 insured.
        let too_many = if x.headcount <= 30 {
            x.layoffs * 5 > x.headcount
        } else {
            x.layoffs * 1000 > x.headcount * 55
        };
        let u = unmet(&[
            (!x.insured, "not_insured"),
            (x.months < 12, "insured_too_short"),
            (too_many, "too_many_layoffs"),
        ]);
        let rate = if in_window(x.applied) {
            Decimal::new(60, 2)
        } else {
            Decimal::new(50, 2)
        };
        row(
            &mut out,
            "ui_refund",
            &id,
            &u,
            &fen(rate * yuan(x.paid)),
            false,
        );
        // R6: up to 6 months of the three premiums.
        let u = unmet(&[
            (!x.hardship, "no_hardship"),
            (x.requested < 1, "no_months_requested"),
        ]);
        let monthly: Decimal = x.premiums.iter().map(|p| yuan(p)).sum();
        let amount = fen(Decimal::from(x.requested.min(6)) * monthly);
        row(
            &mut out,
            "premium_deferral",
            &id,
            &u,
            &amount,
            x.requested > 6,
        );
    }
    for (i, x) in cs.iter().enumerate() {
        // R7: min(rent + utilities, 200,000.00 for a county center, 100,000.00 a town's).
        let claimed = yuan(x.rent) + yuan(x.utilities);
        let cap = Decimal::from(if x.level == "county" {
            200_000
        } else {
            100_000
        });
        let u = unmet(&[(claimed <= Decimal::ZERO, "no_claim")]);
        let amount = fen(claimed.min(cap));
        row(
            &mut out,
            "startup_center_subsidy",
            &format!("C{i}"),
            &u,
            &amount,
            claimed > cap,
        );
    }
    for (i, x) in ps.iter().enumerate() {
        // R8: 60% of the wage for the months paid, for a town office, school or health
        // center, held by a poor laborer (a holder not in laborers.csv is not).
        let employer = matches!(x.employer, "town_office" | "school" | "health_center");
        let holder_poor = ls.get(x.holder).is_some_and(|l| poor(l.status));
        let u = unmet(&[
            (!employer, "employer_not_eligible"),
            (!holder_poor, "holder_not_poor"),
        ]);
        let amount = fen(Decimal::new(60, 2) * yuan(x.wage) * Decimal::from(x.months));
        row(
            &mut out,
            "post_subsidy",
            &format!("P{i}"),
            &u,
            &amount,
            false,
        );
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn the_stream_pays_what_an_independent_model_of_policy_md_pays(
        ls in prop::collection::vec(laborer(), 0..48),
        es in prop::collection::vec(enterprise(), 0..12),
        ps in prop::collection::vec(post(), 0..12),
        loans in prop::collection::vec(loan(), 0..8),
        cs in prop::collection::vec(center(), 0..6),
    ) {
        // A loan applicant is a laborer of the roster, one application each.
        let loans = &loans[..loans.len().min(ls.len())];
        let [l, e, p, a, c] = files(&ls, &es, &ps, loans, &cs);
        let mut inputs = Inputs::bytes(Some(l.as_bytes()), Some(e.as_bytes()), Some(p.as_bytes()));
        inputs.loans = Some(Source::Bytes(a.as_bytes()));
        inputs.centers = Some(Source::Bytes(c.as_bytes()));
        let mut out = Vec::new();
        let as_of = AS_OF.parse().unwrap();
        batch::run(&inputs, &Policy::yang_county_2020(), as_of, &mut out, &Options::default())
            .unwrap();
        prop_assert_eq!(String::from_utf8(out).unwrap(), expected(&ls, &es, &ps, loans, &cs));
    }
}
