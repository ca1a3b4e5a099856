//! Fuzzes the reading of `enterprises.csv` (the other files are the embedded sample's), then
//! evaluates, audits and builds the ledger of whatever reads: nothing may panic.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| jiuye_fupin_fuzz::exercise(|f| f.enterprises = Some(data)));
