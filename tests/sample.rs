//! The embedded sample roster against its hand-computed expectations
//! (`src/sample/expected.csv`, worked out with exact decimals, reasons included).

mod common;

use common::{parse_payouts, payouts_csv};
use jiuye_fupin::sample;

#[test]
fn the_sample_roster_pays_exactly_the_hand_computed_amounts_with_the_expected_reasons() {
    let ours = payouts_csv(&sample::roster());
    let expected = include_str!("../src/sample/expected.csv");
    let (want, want_order) = parse_payouts(expected);
    let (got, got_order) = parse_payouts(&ours);
    assert_eq!(
        got_order, want_order,
        "one row per subject and program, in input and rule order"
    );
    for key in &want_order {
        assert_eq!(got[key], want[key], "{key:?}");
    }
    assert_eq!(ours, expected, "byte for byte");
}

#[test]
fn the_sample_covers_every_reason_code_of_the_six_rules() {
    let ours = payouts_csv(&sample::roster());
    for code in [
        "not_poor",
        "unable_to_work",
        "not_out_of_county",
        "no_transport_cost",
        "outside_window",
        "not_isolated",
        "not_poor_or_graduate",
        "no_store_in_county",
        "not_insured",
        "insured_too_short",
        "too_many_layoffs",
        "no_hardship",
        "no_months_requested",
        "employer_not_eligible",
        "holder_not_poor",
        "capped",
    ] {
        assert!(ours.contains(code), "{code}");
    }
}
