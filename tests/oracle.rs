//! Agreement with the independent oracles of `../shared/baseline/`:
//! - the DuckDB model's payouts on a generated 10,000-laborer roster (`gen_roster.py`,
//!   seed 20200125), committed with its output in `tests/fixtures/n10000/`;
//! - the 83 hand-worked expectations of `check_edges.py` on that roster's edge rows.

mod common;

use common::{fixture, parse_payouts, payouts_csv};
use jiuye_fupin::io::read_roster_dir;

#[test]
fn every_row_agrees_with_the_duckdb_oracle_on_a_generated_roster() {
    let roster = read_roster_dir(&fixture("n10000")).unwrap();
    assert_eq!(
        (
            roster.laborers().len(),
            roster.enterprises().len(),
            roster.posts().len()
        ),
        (10_000, 100, 200)
    );
    let ours = payouts_csv(&roster);
    let (ours, order) = parse_payouts(&ours);
    let oracle = std::fs::read_to_string(fixture("n10000/duckdb-payouts.csv")).unwrap();
    let (oracle, _) = parse_payouts(&oracle);
    assert_eq!(ours.len(), 30_400);
    assert_eq!(ours.len(), oracle.len(), "same number of rows");
    let mut differing = Vec::new();
    for key in &order {
        let (e, a, _) = &ours[key];
        // The oracle leaves `reasons` empty (POLICY.md ambiguity 8 of the baseline README).
        match oracle.get(key) {
            Some((oe, oa, _)) if oe == e && oa == a => {}
            other => differing.push((key.clone(), (e.clone(), a.clone()), other.cloned())),
        }
    }
    assert!(
        differing.is_empty(),
        "{} rows differ, first: {:?}",
        differing.len(),
        &differing[..differing.len().min(5)]
    );
}

/// check_edges.py's expectations: "-" is ineligible, otherwise the amount.
const T: &str = "transport_subsidy";
const I: &str = "isolation_allowance";
const S: &str = "startup_grant";
const U: &str = "ui_refund";
const D: &str = "premium_deferral";
const P: &str = "post_subsidy";
const X: &str = "-";

#[rustfmt::skip]
const LABORERS: &[&[(&str, &str)]] = &[
    &[(T, "500.00"), (I, X), (S, X)], // cost exactly the cap
    &[(T, "500.00")],                 // 500.005: capped before any rounding
    &[(T, "500.00")],                 // 499.995 rounds half away to 500.00
    &[(T, "30.01")],                  // 30.005 -> 30.01
    &[(T, "123.45")],                 // 123.445 -> 123.45
    &[(T, X)],                        // cost 0.00 is not > 0
    &[(T, X)],                        // no documented cost
    &[(T, "300.00")],                 // departed 2020-01-25, first day of the window
    &[(T, "300.00")],                 // departed 2020-12-31, last day
    &[(T, X)],                        // 2020-01-24
    &[(T, X)],                        // 2021-01-01
    &[(T, "300.00")],                 // no departure date -> as-of date
    &[(T, X)],                        // remaining_poor but not able to work
    &[(T, X), (I, X), (S, X)],        // not registered poor
    &[(T, X)],                        // works in county
    &[(I, "140.00"), (T, "300.00")],  // 7 days
    &[(I, "140.00")],                 // 8 days, paid 7
    &[(I, "20.00")],                  // 1 day
    &[(I, "140.00")],                 // 14 days from 2020-01-25
    &[(I, "60.00")],                  // 3 days from 2020-12-31
    &[(I, X)],                        // starts 2020-01-24
    &[(I, X)],                        // starts 2021-01-01
    &[(I, "120.00")],                 // no start date -> as-of
    &[(I, X)],                        // 0 days
    &[(I, X), (T, X)],                // not registered poor
    &[(S, "5000.00")],                // store opened 2020-01-25
    &[(S, "5000.00"), (T, X)],        // graduate, not poor, opened 2020-12-31
    &[(S, X)],                        // opened 2020-01-24
    &[(S, X)],                        // graduate, opened 2021-01-01
    &[(S, X)],                        // neither poor nor graduate
    &[(S, "5000.00")],                // no opening date -> as-of
    &[(S, X)],                        // date but no store in county
    &[(T, "500.00"), (I, "140.00"), (S, "5000.00")], // all three
    &[(T, "500.00")],                 // 1199.999
    &[(T, "0.00")],                   // cost 0.004 > 0: eligible, rounds to 0.00
    &[(T, "0.01")],                   // 0.005 -> 0.01
];

#[rustfmt::skip]
const ENTERPRISES: &[&[(&str, &str)]] = &[
    &[(U, "6000.00"), (D, X)], // 11/200 = 5.5% exactly
    &[(U, X)],                 // 12/200 = 6%
    &[(U, "6000.00")],         // 30 employees, 6 laid off = 20% exactly
    &[(U, X)],                 // 7/30
    &[(U, X)],                 // 31 employees is not small; 6/31 > 5.5%
    &[(U, "6000.00")],         // 1/31
    &[(U, "6000.00")],         // 55/1000 = 5.5%
    &[(U, "7407.41")],         // 60% x 12,345.675 = 7,407.405 (POLICY.md example)
    &[(U, "6172.84")],         // 50% (applied 2019-12-31) x 12,345.675 = 6,172.8375
    &[(U, "500.01")],          // 50% (2020-01-24) x 1,000.01 = 500.005
    &[(U, "600.01")],          // 60% (2020-01-25) x 1,000.01 = 600.006
    &[(U, "12000.00")],        // 60% on 2020-12-31
    &[(U, "10000.00")],        // 50% on 2021-01-01
    &[(U, "12000.00")],        // no application date -> as-of -> 60%
    &[(U, X)],                 // insured 11 months
    &[(U, "6000.00")],         // insured 12 months
    &[(U, X)],                 // ui_insured false
    &[(D, "300600.00"), (U, "6000.00")], // 6 months x 50,100.00
    &[(D, "300600.00")],       // 7 requested, 6 deferred
    &[(D, X)],                 // hardship, 0 months requested
    &[(D, X)],                 // 6 months requested, no hardship
    &[(D, "1043.88")],         // 1 x (1000.125 + 31.25 + 12.5) = 1043.875
    &[(U, "6000.00")],         // 3 employees, none laid off
    &[(U, "6000.00")],         // 1/5 = 20%, small
];

#[rustfmt::skip]
const POSTS: &[&[(&str, &str)]] = &[
    &[(P, "5400.00")],
    &[(P, "5400.00")],  // school
    &[(P, "5400.00")],  // health center
    &[(P, X)],          // village committee
    &[(P, X)],          // other employer
    &[(P, X)],          // holder L0000014 is not registered poor
    &[(P, "0.00")],     // 0 months paid: eligible, 0.00
    &[(P, "21600.00")], // 60% x 3,000 x 12
    &[(P, "480.05")],   // 60% x 800.075 = 480.045
    &[(P, "600.01")],   // 60% x 1,000.01 = 600.006
    &[(P, "9851.81")],  // 60% x 2,345.67 x 7 = 9,851.814
    &[(P, "5400.00")],  // second post of the same holder
];

#[test]
fn the_83_hand_worked_edge_expectations_of_check_edges_py_hold() {
    let roster = read_roster_dir(&fixture("n10000")).unwrap();
    let (ours, _) = parse_payouts(&payouts_csv(&roster));
    let mut checked = 0;
    for (table, id) in [
        (LABORERS, (|k| format!("L{k:07}")) as fn(usize) -> String),
        (ENTERPRISES, |k| format!("E{k:06}")),
        (POSTS, |k| format!("P{k:07}")),
    ] {
        for (k, expectations) in table.iter().enumerate() {
            let subject = id(k + 1);
            for &(program, want) in *expectations {
                let (eligible, amount, _) = &ours[&(program.to_owned(), subject.clone())];
                let want = if want == X {
                    ("false", "0.00")
                } else {
                    ("true", want)
                };
                assert_eq!(
                    (eligible.as_str(), amount.as_str()),
                    want,
                    "{program} {subject}"
                );
                checked += 1;
            }
        }
    }
    assert_eq!(checked, 83);
}
