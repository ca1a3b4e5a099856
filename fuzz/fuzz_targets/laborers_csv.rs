//! Fuzzes the reading of `laborers.csv` (the other files are the embedded sample's), then
//! evaluates, audits and builds the ledger of whatever reads: nothing may panic.
#![no_main]

use jiuye_fupin::io::{RosterFiles, parse_roster_files};
use jiuye_fupin::{Engine, Policy, ledger::Ledger, sample};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut files = RosterFiles {
        laborers: Some(sample::LABORERS_CSV.as_bytes()),
        enterprises: Some(sample::ENTERPRISES_CSV.as_bytes()),
        posts: Some(sample::POSTS_CSV.as_bytes()),
        loan_applications: Some(sample::LOAN_APPLICATIONS_CSV.as_bytes()),
        startup_centers: Some(sample::STARTUP_CENTERS_CSV.as_bytes()),
        post_months: Some(sample::POST_MONTHS_CSV.as_bytes()),
    };
    files.laborers = Some(data);
    if let Ok(roster) = parse_roster_files(&files) {
        let engine = Engine::new(&Policy::yang_county_2020());
        let as_of = chrono::NaiveDate::from_ymd_opt(2020, 4, 1).unwrap_or_default();
        let _ = engine.evaluate(&roster, as_of);
        let _ = engine.audit(&roster, as_of);
        let _ = Ledger::build(&engine, &roster, as_of);
    }
});
