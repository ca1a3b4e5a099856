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
    let eval = engine.evaluate(roster, as_of()).unwrap();
    io::write_payouts(&mut out, eval.decisions.into_iter().map(Ok)).unwrap();
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

use jiuye_fupin::Decision;
use jiuye_fupin::engine::EvalError;
use jiuye_fupin::model::{Enterprise, Laborer, Post, PovertyStatus};
use jiuye_fupin::rules::{
    isolation, post_subsidy, premium_deferral, startup_grant, transport, ui_refund,
};

/// The built-in rules by name, through the engine's one door.
#[allow(dead_code)]
pub trait Builtin {
    fn laborer<'a>(
        &'a self,
        l: &'a Laborer,
        d: chrono::NaiveDate,
    ) -> Result<[Decision<'a>; 3], EvalError>;
    fn enterprise<'a>(
        &'a self,
        e: &'a Enterprise,
        d: chrono::NaiveDate,
    ) -> Result<[Decision<'a>; 2], EvalError>;
    fn transport_subsidy<'a>(
        &'a self,
        l: &'a Laborer,
        d: chrono::NaiveDate,
    ) -> Result<Decision<'a>, EvalError>;
    fn isolation_allowance<'a>(
        &'a self,
        l: &'a Laborer,
        d: chrono::NaiveDate,
    ) -> Result<Decision<'a>, EvalError>;
    fn startup_grant<'a>(
        &'a self,
        l: &'a Laborer,
        d: chrono::NaiveDate,
    ) -> Result<Decision<'a>, EvalError>;
    fn ui_refund<'a>(
        &'a self,
        e: &'a Enterprise,
        d: chrono::NaiveDate,
    ) -> Result<Decision<'a>, EvalError>;
    fn premium_deferral<'a>(
        &'a self,
        e: &'a Enterprise,
        d: chrono::NaiveDate,
    ) -> Result<Decision<'a>, EvalError>;
    fn post_subsidy<'a>(
        &'a self,
        p: &'a Post,
        h: PovertyStatus,
        d: chrono::NaiveDate,
    ) -> Result<Decision<'a>, EvalError>;
}

impl Builtin for Engine {
    fn laborer<'a>(
        &'a self,
        l: &'a Laborer,
        d: chrono::NaiveDate,
    ) -> Result<[Decision<'a>; 3], EvalError> {
        Ok([
            self.transport_subsidy(l, d)?,
            self.isolation_allowance(l, d)?,
            self.startup_grant(l, d)?,
        ])
    }
    fn enterprise<'a>(
        &'a self,
        e: &'a Enterprise,
        d: chrono::NaiveDate,
    ) -> Result<[Decision<'a>; 2], EvalError> {
        Ok([self.ui_refund(e, d)?, self.premium_deferral(e, d)?])
    }
    fn transport_subsidy<'a>(
        &'a self,
        l: &'a Laborer,
        d: chrono::NaiveDate,
    ) -> Result<Decision<'a>, EvalError> {
        self.decide(transport::PROGRAM, l, d)
    }
    fn isolation_allowance<'a>(
        &'a self,
        l: &'a Laborer,
        d: chrono::NaiveDate,
    ) -> Result<Decision<'a>, EvalError> {
        self.decide(isolation::PROGRAM, l, d)
    }
    fn startup_grant<'a>(
        &'a self,
        l: &'a Laborer,
        d: chrono::NaiveDate,
    ) -> Result<Decision<'a>, EvalError> {
        self.decide(startup_grant::PROGRAM, l, d)
    }
    fn ui_refund<'a>(
        &'a self,
        e: &'a Enterprise,
        d: chrono::NaiveDate,
    ) -> Result<Decision<'a>, EvalError> {
        self.decide(ui_refund::PROGRAM, e, d)
    }
    fn premium_deferral<'a>(
        &'a self,
        e: &'a Enterprise,
        d: chrono::NaiveDate,
    ) -> Result<Decision<'a>, EvalError> {
        self.decide(premium_deferral::PROGRAM, e, d)
    }
    fn post_subsidy<'a>(
        &'a self,
        p: &'a Post,
        h: PovertyStatus,
        d: chrono::NaiveDate,
    ) -> Result<Decision<'a>, EvalError> {
        self.decide(post_subsidy::PROGRAM, (p, h), d)
    }
}
