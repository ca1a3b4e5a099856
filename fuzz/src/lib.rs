//! What every roster fuzz target does: the embedded sample's six files, one of them
//! replaced by the fuzzer's bytes, read; a roster that reads is evaluated, audited and put
//! in a ledger. Nothing may panic.

use jiuye_fupin::io::{RosterFiles, parse_roster_files};
use jiuye_fupin::{Engine, Policy, ledger::Ledger, sample};

/// Reads the sample with `set` applied to its files, then exercises the engine.
pub fn exercise<'a>(set: impl FnOnce(&mut RosterFiles<'a>)) {
    let mut files: RosterFiles<'a> = sample::files();
    set(&mut files);
    if let Ok(roster) = parse_roster_files(&files) {
        let engine = Engine::new(&Policy::yang_county_2020());
        let as_of = chrono::NaiveDate::from_ymd_opt(2020, 4, 1).unwrap_or_default();
        let _ = engine.evaluate(&roster, as_of);
        let _ = engine.audit(&roster, as_of);
        let _ = Ledger::build(&engine, &roster, as_of);
    }
}
