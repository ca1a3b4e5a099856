//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use jiuye_fupin::{Engine, Policy, Roster, io};

pub fn as_of() -> chrono::NaiveDate {
    "2020-04-01".parse().unwrap()
}

pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// payouts.csv of `roster` under the Yang preset, as text.
pub fn payouts_csv(roster: &Roster) -> String {
    let engine = Engine::new(&Policy::yang_county_2020()).explain(false);
    let mut out = Vec::new();
    io::write_payouts(&mut out, engine.decisions(roster, as_of())).unwrap();
    String::from_utf8(out).unwrap()
}

/// A payouts row's key: (program, subject_id).
pub type Key = (String, String);

/// A payouts row: (eligible, amount, reasons).
pub type Row = (String, String, String);

/// Rows of a payouts.csv keyed by (program, subject_id), and the keys in file order.
pub fn parse_payouts(text: &str) -> (HashMap<Key, Row>, Vec<Key>) {
    let mut rdr = csv::Reader::from_reader(text.as_bytes());
    assert_eq!(
        rdr.headers().unwrap().iter().collect::<Vec<_>>(),
        io::PAYOUTS_HEADER
    );
    let mut rows = HashMap::new();
    let mut order = Vec::new();
    for rec in rdr.records() {
        let rec = rec.unwrap();
        let key = (rec[0].to_owned(), rec[1].to_owned());
        let row = (rec[2].to_owned(), rec[3].to_owned(), rec[4].to_owned());
        assert!(
            rows.insert(key.clone(), row).is_none(),
            "duplicate row {key:?}"
        );
        order.push(key);
    }
    (rows, order)
}
